using Microsoft.ML.OnnxRuntime.Tensors;
using Rerank.Abstractions;

namespace Rerank.Plugins.Onnx;

/// <summary>
/// What the three ONNX components share. The model is trained outside Rerank, so "training" is loading: the model file is
/// the component's <c>checkpoint:</c>, read by <see cref="Load"/> (through which experiments and the server give it),
/// checked against the mapping and the data's schema; <see cref="Save"/> copies it (atomically); <see cref="Train"/>
/// refuses, saying so.
/// </summary>
internal abstract class OnnxComponent : ITrainable, ITimedComponent, IDisposable
{
    private readonly ComponentContext _context;
    private readonly OutputContract _output;
    private readonly PhaseTimer _timer = new();
    private OnnxModel? _model;

    protected OnnxComponent(OnnxModelOptions options, ComponentContext context, OutputContract output)
    {
        Options = options;
        _context = context;
        _output = output;
    }

    /// <summary>The component's name.</summary>
    public string Name => _context.ComponentName;

    /// <summary>The plugin and component, as errors name them (<c>onnx/scorer</c>).</summary>
    private string Label => $"{_context.PluginId}/{Name}";

    /// <inheritdoc />
    public bool IsTrained => _model is not null;

    /// <summary>Time building the inputs from batches, and in ONNX Runtime, the phase named after the provider that runs the model (<c>onnx runtime (cpu)</c> or <c>(cuda)</c>).</summary>
    public IReadOnlyList<PhaseTiming> Timings => _timer.Timings;

    /// <inheritdoc />
    public void ResetTimings() => _timer.Reset();

    /// <summary>The options.</summary>
    protected OnnxModelOptions Options { get; }

    /// <summary>The loaded model.</summary>
    protected OnnxModel Model => _model
        ?? throw new InvalidOperationException($"{Name}: no ONNX model is loaded; give the .onnx file as the component's checkpoint (checkpoint: model.onnx)");

    /// <inheritdoc />
    public TrainResult Train(TrainingData data, TrainingContext context) =>
        throw new InvalidOperationException(
            $"{Name} runs a model trained outside Rerank: give its .onnx file as the component's checkpoint (checkpoint: model.onnx); there is nothing to train here");

    /// <inheritdoc />
    public void Save(string path)
    {
        var model = Model;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.Copy(model.Path, temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public void Load(string path)
    {
        var model = OnnxModel.Open(Path.GetFullPath(path), Options, _context.Schema, Label, _output);
        Interlocked.Exchange(ref _model, model)?.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _model, null)?.Dispose();

    /// <summary>
    /// The model's inputs for <paramref name="batch"/>, in mapping order, once the batch is within the model's limits: its
    /// longest candidate list within <c>rerank.max_candidates</c>, its largest slate size within <c>rerank.max_positions</c>.
    /// </summary>
    protected Feed[] Feeds(RerankBatch batch)
    {
        var model = Model;
        model.Limits.CheckCandidates(Label, model.Path, batch.MaxCandidates, "the batch's longest candidate list");
        model.Limits.CheckPositions(Label, model.Path, batch.SlateSizes.Length == 0 ? 1 : Math.Max(1, batch.SlateSizes.Max()), "the batch's largest slate size");
        return Inputs(() => [.. model.Inputs.Select(i => Feed.Of(i.From, batch))]);
    }

    /// <summary>Builds the model's inputs with <paramref name="build"/>, timed as the phase <c>inputs from the batch</c>.</summary>
    protected Feed[] Inputs(Func<Feed[]> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        using (_timer.Measure("inputs from the batch"))
        {
            return build();
        }
    }

    /// <summary>Runs the model on <paramref name="feeds"/>, timed as the phase of the provider that runs it.</summary>
    protected (T[] Values, long[] Shape) Run<T>(IReadOnlyList<Feed> feeds)
        where T : unmanaged
    {
        var model = Model;
        using (_timer.Measure($"onnx runtime ({model.Provider})"))
        {
            return model.Run<T>(feeds);
        }
    }

    /// <summary>
    /// Throws unless a slate of <paramref name="length"/> items is within the model's limits; an evaluator's rows are
    /// slates, so both <c>rerank.max_candidates</c> and <c>rerank.max_positions</c> bound it.
    /// </summary>
    protected void CheckSlateLength(int length)
    {
        var model = Model;
        model.Limits.CheckCandidates(Label, model.Path, length, "the longest slate to evaluate");
        model.Limits.CheckPositions(Label, model.Path, length, "the longest slate to evaluate");
    }

    /// <summary>Throws unless the output's leading dimensions are <paramref name="expected"/>.</summary>
    protected void CheckShape(long[] shape, string what, params long[] expected)
    {
        if (shape.Length != expected.Length || shape.Where((d, i) => expected[i] >= 0 && d != expected[i]).Any())
        {
            throw new InvalidOperationException(
                $"{Name}: the model's output '{Model.Output}' has shape [{string.Join(", ", shape)}], expected {what} [{string.Join(", ", expected.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]");
        }
    }

    /// <summary>float32 outputs of rank <paramref name="ranks"/>.</summary>
    protected static OutputContract FloatOutput(string meaning, params int[] ranks) => new([TensorElementType.Float], ranks, meaning);
}
