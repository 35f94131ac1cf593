using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>
/// The NAR4Rec generator (§4.1): one forward pass gives the probability matrix of every position (eq. 12). As an
/// <see cref="IStepScorer"/> (kind LogProbability) it returns log p̂ of position t for every candidate, ignoring the prefix
/// (non-autoregressive), so any decoder drives it; as an <see cref="IGenerator"/> it decodes with contrastive decoding
/// (eq. 16–17) over its own candidate representations, one slate per value of <c>alphas</c>.
/// </summary>
internal sealed partial class Nar4RecGenerator : IStepScorer, IGenerator, ITrainable, ITimedComponent, IOnnxExportable
{
    private readonly GeneratorOptions _options;
    private readonly ulong _seed;
    private readonly Device _device;
    private readonly Lock _moving = new();
    private readonly PhaseTimer _timer = new();
    private GeneratorModel? _model;
    private FeatureSchema? _schema;
    private readonly ComponentContext _context;
    private readonly ModelGraph<GeneratorModel> _graph = new(model => x =>
    {
        // the device-only part: inputs (projected features, candidate mask, position embeddings, positions' mask),
        // outputs (candidate representations, log p̂)
        var candidates = model.CandidatesEncoder.Forward(x[0], x[1]);
        var positions = model.EncodePositions(candidates, x[1], x[2], x[3]);
        return [candidates, model.LogProbabilities(candidates, positions, x[1])];
    });

    public Nar4RecGenerator(GeneratorOptions options, ComponentContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _options = options;
        _seed = context.Seed;
        _device = InferenceDevice.Of(context);
        Name = context.ComponentName;
        _schema = context.Schema;
    }

    public string Name { get; }

    public StepScoreKind Kind => StepScoreKind.LogProbability;

    public bool IsTrained { get; private set; }

    public IReadOnlyList<PhaseTiming> Timings => _timer.Timings;

    internal GeneratorModel? Model => _model;

    /// <summary>The CUDA graph of the current model (<c>cuda_graphs</c> on the GPU), once a batch has run.</summary>
    internal DeviceGraph? CudaGraph => _graph.Current;

    public void ResetTimings() => _timer.Reset();

    public IStepSession Begin(RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var model = Ready(batch);
        var length = batch.SlateSizes.Length == 0 ? 1 : Math.Max(1, batch.SlateSizes.Max());
        if (length > model.MaxPositions)
        {
            throw new ComponentException($"{Name}: slate size {length} exceeds the model's {model.MaxPositions} positions (raise 'positions')");
        }

        return new Session(this, model, batch, length);
    }

    public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context) =>
        new ContrastiveDecoder(new ContrastiveOptions { Alphas = _options.Alphas, Similarity = _options.Similarity }, Name).Decode(batch, this, null, count, context);

    public bool CanExportOnnx => true;

    /// <summary>
    /// The trained generator as ONNX for <c>onnx@^1.0/scorer</c> with <c>output_kind: position_log_probs</c>: output
    /// <c>log_probs</c> [batch, L, n], L the batch's largest slate size, so any decoder drives it as it drives this scorer
    /// (contrastive decoding, which needs the candidate representations, stays with the engine); metadata as every export.
    /// </summary>
    public OnnxExport ExportOnnx(OnnxExportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Kind != "scorer")
        {
            throw new InvalidOperationException($"{Name}: the NAR4Rec generator exports as onnx@^1.0/scorer (per-position log-probabilities), not {settings.Kind}");
        }

        if (_model is null || _schema is null || !IsTrained)
        {
            throw new InvalidOperationException($"{Name}: the generator is not trained; train or load it before exporting.");
        }

        var graph = new OnnxGraph(Name);
        var (logp, inputs) = _model.ToOnnx(graph);
        graph.Output(logp, "log_probs", OnnxType.Float, "batch", "l", "n");
        var metadata = OnnxExport.MetadataFor(Identity(_schema), "scorer", settings, [KeyValuePair.Create("rerank.max_positions", _model.MaxPositions.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        return new OnnxExport(graph, inputs, "log_probs", "position_log_probs", metadata);
    }

    private GeneratorModel Ready(RerankBatch batch)
    {
        if (_model is null || !IsTrained)
        {
            throw new ComponentException($"{Name}: the generator is not trained; train it or give it a checkpoint");
        }

        _model.Features.Check(batch, Name);
        lock (_moving)
        {
            if (_model.Device != _device)
            {
                _model.To(_device); // a checkpoint loads on the CPU; inference runs where the YAML device: says
            }
        }

        return _model;
    }

    private GeneratorModel Build(FeatureSchema schema)
    {
        if (_model is not null && _schema is not null && _schema.Equals(schema))
        {
            return _model;
        }

        _schema = schema;
        _model = new GeneratorModel(schema, _options, new Rng(StableHash.Mix(_seed, StableHash.Of("nar4rec.generator.init"))));
        return _model;
    }

    /// <summary>One batch's probability matrices and unit candidate representations, computed once in <see cref="Begin"/>.</summary>
    private sealed class Session : IStepSession, IRepresentationSession
    {
        private readonly int _n;
        private readonly int _length;
        private readonly float[] _logp;
        private readonly float[] _unit;

        public Session(Nar4RecGenerator owner, GeneratorModel model, RerankBatch batch, int length)
        {
            _n = batch.MaxCandidates;
            _length = length;
            model.Eval();
            using var scope = TensorScope.Inference();
            var mask = model.MaskOf(batch);
            Tensor features;
            using (owner._timer.Measure("candidate features"))
            {
                features = model.Features.Forward(batch);
            }

            var lengths = batch.SlateSizes.Select((l, b) => Math.Min(l, batch.CandidateCounts[b])).ToArray();
            Tensor candidates;
            Tensor? positions = null;
            Tensor? logp = null;
            if (owner._graph.For(model, owner._options.CudaGraphs) is { } graph)
            {
                using (owner._timer.Measure("encoders and probability matrix (CUDA graph)"))
                {
                    (candidates, logp) = Replay(graph, model, features, mask, length, lengths);
                }
            }
            else
            {
                using (owner._timer.Measure("encode candidates"))
                {
                    candidates = model.CandidatesEncoder.Forward(features, mask);
                }

                using (owner._timer.Measure("encode positions"))
                {
                    positions = model.EncodePositions(candidates, mask, length, lengths);
                }
            }

            using (owner._timer.Measure("probability matrix"))
            {
                logp ??= model.LogProbabilities(candidates, positions!, mask);
                _logp = ModelGraph.First(logp, batch.Count);
                Width = candidates.Shape[2];
                _unit = ModelGraph.First(candidates, batch.Count);
                for (var r = 0; r < _unit.Length / Width; r++)
                {
                    var v = _unit.AsSpan(r * Width, Width);
                    var sq = 0f;
                    foreach (var x in v)
                    {
                        sq += x * x;
                    }

                    var inv = 1f / (MathF.Sqrt(sq) + 1e-12f);
                    for (var k = 0; k < v.Length; k++)
                    {
                        v[k] *= inv;
                    }
                }
            }
        }

        public int Width { get; }

        /// <summary>One graph replay for the batch padded to a power of two (padding requests get one position; <see cref="ModelGraph.Pad"/>).</summary>
        private static (Tensor Candidates, Tensor LogProbabilities) Replay(DeviceGraph graph, GeneratorModel model, Tensor features, Tensor mask, int length, int[] lengths)
        {
            var (x, padMask, rows) = ModelGraph.Pad(features, mask);
            var (positions, selfMask) = model.PositionInputs(rows, length, [.. lengths, .. Enumerable.Repeat(1, rows - lengths.Length)]);
            var outputs = graph.RunAll(x, padMask, positions, selfMask);
            return (outputs[0], outputs[1]);
        }

        public ReadOnlySpan<float> Unit(int b, int i) => _unit.AsSpan(((b * _n) + i) * Width, Width);

        public void Score(StepRows rows, Span<float> scores)
        {
            ArgumentNullException.ThrowIfNull(rows);
            if (rows.Step >= _length)
            {
                throw new ComponentException($"nar4rec generator: step {rows.Step} is past the {_length} positions of this batch");
            }

            for (var r = 0; r < rows.Count; r++)
            {
                _logp.AsSpan(((rows.Request[r] * _length) + rows.Step) * _n, _n).CopyTo(scores.Slice(r * _n, _n));
            }
        }

        public void Dispose()
        {
        }
    }
}
