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
    private readonly SortModelOptions options;
    private readonly string component;
    private readonly string pluginId;
    private readonly string pluginVersion;
    private FeatureSchema? schema;
    private SortNetwork? network;
    private IncrementalSort? incremental;

    public SortModel(SortModelOptions options, ComponentContext context)
    {
        this.options = options;
        component = context.ComponentName;
        pluginId = context.PluginId;
        pluginVersion = context.PluginVersion;
        schema = context.Schema;
    }

    public bool IsTrained => network is not null;

    /// <summary>Mean candidate price of the training logs (1 before training).</summary>
    public float MeanPrice { get; private set; } = 1f;

    public bool Ordered => options.Loss == SortLoss.Ordered;

    public PhaseTimer Timer { get; } = new();

    /// <summary>E[clicks among the first j+1] and E[pays among the first j+1] for every position j of every row, <c>[R, T]</c> each.</summary>
    public (float[] Click, float[] Pay) Predict(RerankBatch batch, SequenceRows rows)
    {
        var net = Network();
        if (!batch.Schema.Equals(schema))
        {
            throw new ComponentException($"{component}: the batch's schema differs from the model's: {string.Join("; ", schema!.Differences(batch.Schema))}");
        }

        SortFeatures f;
        using (Timer.Measure("encode"))
        {
            f = SortFeatures.Encode(batch, rows, options.HistoryWindow, component);
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
    public IncrementalSort Incremental() => incremental ??= new IncrementalSort(Network(), options);

    /// <summary>Price of a candidate as V_GMV uses it (divided by the training mean price when <paramref name="normalize"/>).</summary>
    public float Price(RerankBatch batch, int b, int i, bool normalize) =>
        batch.Prices[batch.CandidateOffset(b, i)] / (normalize ? MeanPrice : 1f);

    public void Save(string path)
    {
        var net = Network();
        var state = new Dictionary<string, string>(StringComparer.Ordinal) { [MeanPriceKey] = MeanPrice.ToString("R", CultureInfo.InvariantCulture) };
        Checkpoint.Save(net, path, Identity(schema!), state);
    }

    public void Load(string path)
    {
        if (schema is null)
        {
            throw new ComponentException($"{component}: loading '{path}' needs the data's feature schema, and none was given");
        }

        var net = new SortNetwork(options, schema, new Rng(0));
        var header = Checkpoint.Load(net, path, Identity(schema));
        if (!header.State.TryGetValue(MeanPriceKey, out var price) || !float.TryParse(price, NumberStyles.Float, CultureInfo.InvariantCulture, out var mean) || !(mean > 0))
        {
            throw new ComponentException($"{component}: checkpoint '{path}' does not match: {MeanPriceKey}: missing or not a positive number");
        }

        net.Eval();
        network = net;
        incremental = null;
        MeanPrice = mean;
    }

    /// <summary>
    /// Who the weights belong to: the SORT model (not the component, since the evaluator, the prefix-value scorer and the
    /// generator share one checkpoint), its shape and the data's schema.
    /// </summary>
    private CheckpointIdentity Identity(FeatureSchema dataSchema) =>
        new(pluginId, pluginVersion, ModelTag, HyperParameters.From(options.ModelShape()), dataSchema.Describe());

    private SortNetwork Network() =>
        network ?? throw new ComponentException($"{component}: the SORT model is not trained; train it (rerank run trains it) or name a checkpoint");
}
