using System.Globalization;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Checkpoints;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// The SORT model of one component: the network, the schema it reads, the mean training price (for V_GMV) and its timings.
/// Trains on logged exposures (eq. 4–5), saves and loads safetensors checkpoints, and predicts E[count_j] of clicks and pays
/// for every prefix of any set of sequences.
/// </summary>
internal sealed partial class SortModel
{
    private const string ModelTag = "sort";
    private const string MeanPriceKey = "mean_price";
    private readonly SortModelOptions _options;
    private readonly string _component;
    private readonly string _pluginId;
    private readonly string _pluginVersion;
    private FeatureSchema? _schema;
    private SortNetwork? _network;
    private IncrementalSort? _incremental;

    public SortModel(SortModelOptions options, ComponentContext context)
    {
        _options = options;
        _component = context.ComponentName;
        _pluginId = context.PluginId;
        _pluginVersion = context.PluginVersion;
        _schema = context.Schema;
    }

    public bool IsTrained => _network is not null;

    /// <summary>Mean candidate price of the training logs (1 before training).</summary>
    public float MeanPrice { get; private set; } = 1f;

    public bool Ordered => _options.Loss == SortLoss.Ordered;

    public PhaseTimer Timer { get; } = new();

    /// <summary>E[clicks among the first j+1] and E[pays among the first j+1] for every position j of every row, <c>[R, T]</c> each.</summary>
    public (float[] Click, float[] Pay) Predict(RerankBatch batch, SequenceRows rows)
    {
        var net = Network();
        if (!batch.Schema.Equals(_schema))
        {
            throw new ComponentException($"{_component}: the batch's schema differs from the model's: {string.Join("; ", _schema!.Differences(batch.Schema))}");
        }

        SortFeatures f;
        using (Timer.Measure("encode"))
        {
            f = SortFeatures.Encode(batch, rows, _options.HistoryWindow, _component);
        }

        using (Timer.Measure("forward"))
        using (TensorScope.Inference())
        {
            var (click, pay) = net.Forward(f);
            var k = click.Shape.Last;
            return (
                OrderedRegression.ExpectedCounts(click.Span, rows.Count, rows.Length, k, Ordered),
                OrderedRegression.ExpectedCounts(pay.Span, rows.Count, rows.Length, k, Ordered));
        }
    }

    /// <summary>The cached-prefix inference path for generation (built once from the trained weights).</summary>
    public IncrementalSort Incremental() => _incremental ??= new IncrementalSort(Network(), _options);

    /// <summary>Price of a candidate as V_GMV uses it (divided by the training mean price when <paramref name="normalize"/>).</summary>
    public float Price(RerankBatch batch, int b, int i, bool normalize) =>
        batch.Prices[batch.CandidateOffset(b, i)] / (normalize ? MeanPrice : 1f);

    public void Save(string path)
    {
        var net = Network();
        var state = new Dictionary<string, string>(StringComparer.Ordinal) { [MeanPriceKey] = MeanPrice.ToString("R", CultureInfo.InvariantCulture) };
        Checkpoint.Save(net, path, Identity(_schema!), state);
    }

    public void Load(string path)
    {
        if (_schema is null)
        {
            throw new ComponentException($"{_component}: loading '{path}' needs the data's feature schema, and none was given");
        }

        var net = new SortNetwork(_options, _schema, new Rng(0));
        var header = Checkpoint.Load(net, path, Identity(_schema));
        if (!header.State.TryGetValue(MeanPriceKey, out var price) || !float.TryParse(price, NumberStyles.Float, CultureInfo.InvariantCulture, out var mean) || !(mean > 0))
        {
            throw new ComponentException($"{_component}: checkpoint '{path}' does not match: {MeanPriceKey}: missing or not a positive number");
        }

        net.Eval();
        _network = net;
        _incremental = null;
        MeanPrice = mean;
    }

    /// <summary>
    /// Who the weights belong to: the SORT model (not the component, since the evaluator, the prefix-value scorer and the
    /// generator share one checkpoint), its shape and the data's schema.
    /// </summary>
    private CheckpointIdentity Identity(FeatureSchema dataSchema) =>
        new(_pluginId, _pluginVersion, ModelTag, HyperParameters.From(_options.ModelShape()), dataSchema.Describe());

    private SortNetwork Network() =>
        _network ?? throw new ComponentException($"{_component}: the SORT model is not trained; train it (rerank run trains it) or name a checkpoint");
}
