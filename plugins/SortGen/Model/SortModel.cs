using System.Globalization;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.IO;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// The SORT model of one component: the network, the schema it reads, the mean training price (for V_GMV) and its timings.
/// Trains on logged exposures (eq. 4–5), saves and loads safetensors checkpoints, and predicts E[count_j] of clicks and pays
/// for every prefix of any set of sequences.
/// </summary>
internal sealed partial class SortModel
{
    private const string ModelTag = "sort";
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
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["plugin"] = pluginId,
            ["plugin_version"] = pluginVersion,
            ["component"] = component,
            ["model"] = ModelTag,
            ["hyper_parameters"] = options.Describe(),
            ["schema"] = schema!.Describe(),
            ["mean_price"] = MeanPrice.ToString("R", CultureInfo.InvariantCulture),
        };
        net.Save(path, metadata);
    }

    public void Load(string path)
    {
        if (schema is null)
        {
            throw new ComponentException($"{component}: loading '{path}' needs the data's feature schema, and none was given");
        }

        if (!File.Exists(path))
        {
            throw new ComponentException($"{component}: checkpoint '{path}' does not exist");
        }

        var metadata = SafeTensors.Load(path).Metadata;
        var problems = new List<string>();
        Expect(metadata, "plugin", pluginId, problems);
        Expect(metadata, "model", ModelTag, problems);
        ExpectParts(metadata, "hyper_parameters", options.Describe(), problems);
        ExpectParts(metadata, "schema", schema.Describe(), problems);
        var mean = 1f;
        if (!metadata.TryGetValue("mean_price", out var price) || !float.TryParse(price, NumberStyles.Float, CultureInfo.InvariantCulture, out mean) || !(mean > 0))
        {
            problems.Add("mean_price: missing or not a positive number");
            mean = 1f;
        }

        if (problems.Count > 0)
        {
            throw new ComponentException($"{component}: checkpoint '{path}' does not match: {string.Join("; ", problems)}");
        }

        var net = new SortNetwork(options, schema, new Rng(0));
        try
        {
            net.Load(path);
        }
        catch (CheckpointMismatchException e)
        {
            throw new ComponentException($"{component}: {e.Message}");
        }

        net.Eval();
        network = net;
        incremental = null;
        MeanPrice = mean;
    }

    private SortNetwork Network() =>
        network ?? throw new ComponentException($"{component}: the SORT model is not trained; train it (rerank run trains it) or name a checkpoint");

    private static void Expect(IReadOnlyDictionary<string, string> metadata, string key, string expected, List<string> problems)
    {
        if (!metadata.TryGetValue(key, out var actual) || actual != expected)
        {
            problems.Add($"{key} is '{actual ?? "(missing)"}', expected '{expected}'");
        }
    }

    private static void ExpectParts(IReadOnlyDictionary<string, string> metadata, string key, string expected, List<string> problems)
    {
        metadata.TryGetValue(key, out var actual);
        var theirs = (actual ?? "").Split([", ", "; "], StringSplitOptions.RemoveEmptyEntries);
        var mine = expected.Split([", ", "; "], StringSplitOptions.RemoveEmptyEntries);
        problems.AddRange(theirs.Except(mine).Select(p => $"{key}: checkpoint has '{p}'"));
        problems.AddRange(mine.Except(theirs).Select(p => $"{key}: expected '{p}'"));
    }
}
