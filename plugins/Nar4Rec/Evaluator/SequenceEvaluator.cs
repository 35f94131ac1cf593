using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>
/// The NAR4Rec sequence evaluator (§4.4): predicts item-wise click and conversion probabilities of a sequence in its
/// context; the list utility is their weighted sum; <c>evaluate</c> keeps the best of the generator's K sequences.
/// Trained on logged exposures (binary cross-entropy per position and target).
/// </summary>
internal sealed partial class SequenceEvaluator : IItemwiseEvaluator, ITrainable, ITimedComponent, IOnnxExportable
{
    private readonly EvaluatorOptions _options;
    private readonly ulong _seed;
    private readonly Device _device;
    private readonly Lock _moving = new();
    private readonly PhaseTimer _timer = new();
    private EvaluatorModel? _model;
    private FeatureSchema? _schema;
    private readonly ComponentContext _context;
    private readonly ModelGraph<EvaluatorModel> _graph = new(model => x => [model.Logits(x[0], x[1])]);

    public SequenceEvaluator(EvaluatorOptions options, ComponentContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _options = options;
        _seed = context.Seed;
        _device = InferenceDevice.Of(context);
        _schema = context.Schema;
        Name = context.ComponentName;
    }

    public string Name { get; }

    public bool IsTrained { get; private set; }

    /// <summary>The CUDA graph of the current model (<c>cuda_graphs</c> on the GPU), once a batch has run.</summary>
    internal DeviceGraph? CudaGraph => _graph.Current;

    public IReadOnlyList<PhaseTiming> Timings => _timer.Timings;

    public void ResetTimings() => _timer.Reset();

    public double[][] Evaluate(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var (click, conversion, k, length) = Predict(batch, slates);
        var values = new double[batch.Count][];
        for (var b = 0; b < batch.Count; b++)
        {
            values[b] = new double[slates[b].Count];
            for (var j = 0; j < slates[b].Count; j++)
            {
                var u = 0.0;
                for (var t = 0; t < slates[b][j].Count; t++)
                {
                    var at = (((b * k) + j) * length) + t;
                    u += (_options.ClickWeight * click[at]) + (_options.ConversionWeight * conversion[at]); // weighted sum of item-wise scores
                }

                values[b][j] = u;
            }
        }

        return values;
    }

    public bool CanExportOnnx => true;

    /// <summary>
    /// The trained evaluator as ONNX for <c>onnx@^1.0/evaluator</c>: one row per slate, output <c>utility</c>
    /// [rows, l], each position's click_weight·σ(click) + conversion_weight·σ(conversion) (0 at padding), which the plugin
    /// sums over the slate into the value <see cref="Evaluate"/> gives; metadata as every export.
    /// </summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != "evaluator")
        {
            throw new InvalidOperationException($"{Name}: the NAR4Rec sequence evaluator exports as onnx@^1.0/evaluator, not {settings.Kind}");
        }

        if (_model is null || _schema is null || !IsTrained)
        {
            throw new InvalidOperationException($"{Name}: the evaluator is not trained; train or load it before exporting.");
        }

        var graph = new OnnxGraph(Name);
        var (utility, inputs) = _model.ToOnnx(graph, _options.ClickWeight, _options.ConversionWeight);
        graph.Output(utility, "utility", OnnxType.Float, "rows", "l");
        var metadata = OnnxExport.MetadataFor(Identity(_schema), "evaluator", settings, [KeyValuePair.Create("rerank.max_positions", _model.MaxPositions.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        return new OnnxExport(graph, inputs, "utility", "", metadata);
    }

    public float[][] PredictPositions(RerankBatch batch, IReadOnlyList<Slate> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var (click, _, k, length) = Predict(batch, [.. slates.Select(s => (IReadOnlyList<Slate>)[s])]);
        return [.. Enumerable.Range(0, batch.Count).Select(b => click.AsSpan(b * k * length, slates[b].Count).ToArray())];
    }

    private (float[] Click, float[] Conversion, int K, int Length) Predict(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates)
    {
        if (_model is null || !IsTrained)
        {
            throw new ComponentException($"{Name}: the evaluator is not trained; train it or give it a checkpoint");
        }

        if (slates.Count != batch.Count)
        {
            throw new ComponentException($"{Name}: got slates for {slates.Count} requests, the batch has {batch.Count}");
        }

        _model.Features.Check(batch, Name);
        var k = Math.Max(1, slates.Max(s => s.Count));
        var length = Math.Max(1, slates.Max(s => s.Count == 0 ? 0 : s.Max(x => x.Count)));
        if (length > _model.MaxPositions)
        {
            throw new ComponentException($"{Name}: a slate of {length} items exceeds the model's {_model.MaxPositions} positions (raise 'positions')");
        }

        var (index, valid) = Layout(batch.Count, k, length, (b, j) => j < slates[b].Count ? slates[b][j].Indices : []);
        _model.Eval();
        lock (_moving)
        {
            if (_model.Device != _device)
            {
                _model.To(_device); // a checkpoint loads on the CPU; inference runs where the YAML device: says
            }
        }

        using var scope = TensorScope.Inference();
        float[] logits;
        if (_graph.For(_model, _options.CudaGraphs) is { } graph)
        {
            using (_timer.Measure("evaluate sequences (CUDA graph)"))
            {
                logits = Replay(graph, _model, batch, index, k, length, valid);
            }
        }
        else
        {
            using (_timer.Measure("evaluate sequences"))
            {
                logits = _model.Logits(batch, index, k, length, valid).ToArray();
            }
        }

        var click = new float[batch.Count * k * length];
        var conversion = new float[click.Length];
        for (var i = 0; i < click.Length; i++)
        {
            click[i] = Sigmoid(logits[i * EvaluatorModel.Targets]);
            conversion[i] = Sigmoid(logits[(i * EvaluatorModel.Targets) + 1]);
        }

        return (click, conversion, k, length);
    }

    /// <summary>The logits of the batch's sequences as one replay, their rows padded to a power of two (<see cref="ModelGraph.Pad"/>).</summary>
    private static float[] Replay(DeviceGraph graph, EvaluatorModel model, RerankBatch batch, int[] index, int k, int length, float[] valid)
    {
        var (x, mask) = model.Inputs(batch, index, k, length, valid);
        var (padded, padMask, _) = ModelGraph.Pad(x, mask);
        return ModelGraph.First(graph.Run(padded, padMask), x.Shape[0]);
    }

    /// <summary>Candidate slots <c>[B, K·L]</c> (−1 = padding) and the position mask <c>[B·K, L]</c>; an empty row keeps one slot valid so attention is defined.</summary>
    internal static (int[] Index, float[] Valid) Layout(int batch, int k, int length, Func<int, int, int[]> sequence)
    {
        var index = new int[batch * k * length];
        var valid = new float[index.Length];
        Array.Fill(index, -1);
        for (var b = 0; b < batch; b++)
        {
            for (var j = 0; j < k; j++)
            {
                var s = sequence(b, j);
                var row = ((b * k) + j) * length;
                s.CopyTo(index, row);
                valid.AsSpan(row, Math.Max(1, s.Length)).Fill(1f);
            }
        }

        return (index, valid);
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
