using System.Globalization;
using Rerank.Abstractions;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.SortGen;

internal sealed partial class SortModel
{
    /// <summary>
    /// SORT as a list evaluator in ONNX, for <c>onnx@^1.0/evaluator</c>: output <c>values</c> [rows, l], the weighted
    /// incremental value of each position of each slate (eq. 1–2 with E[count_j] from eq. 5; 0 at padding), which the
    /// onnx evaluator sums over the slate into V(R', C) as <see cref="SortEvaluator"/> does. V_GMV reads slate_prices
    /// (divided by the training mean price when <paramref name="weights"/> normalise). Slates longer than max_length are
    /// refused by the onnx plugin (rerank.max_positions), as the engine refuses them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not trained.</exception>
    public OnnxExport ExportEvaluator(OnnxExportSettings settings, ObjectiveWeights weights)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var net = ExportNetwork();
        var graph = new OnnxGraph(_component);
        var inputs = new OnnxInputs(graph, "rows");
        var rows = net.Embed(graph, SortFeatures.ToOnnx(graph, inputs, _schema!, _options.HistoryWindow, slates: true));
        var (click, pay) = net.ToOnnx(graph, rows);
        var prices = inputs.Get("slate_prices", OnnxType.Float, "rows", "l");
        if (weights.NormalizeGmv)
        {
            prices = graph.Div(prices, graph.Scalar(MeanPrice));
        }

        // α·Δclick + β·Δpay + γ·price·Δpay with Δ = E[count_j] − E[count_{j−1}].
        var payDelta = Delta(graph, pay);
        var value = graph.Add(
            graph.Add(graph.Mul(Delta(graph, click), graph.Scalar((float)weights.Alpha)), graph.Mul(payDelta, graph.Scalar((float)weights.Beta))),
            graph.Mul(graph.Mul(prices, payDelta), graph.Scalar((float)weights.Gamma)));
        graph.Output(graph.Mul(value, rows.Mask), "values", OnnxType.Float, "rows", "l");
        return new OnnxExport(graph, inputs.Sources, "values", "", ExportMetadata(settings, "evaluator"));
    }

    /// <summary>The trained network, for an export.</summary>
    /// <exception cref="InvalidOperationException">The model is not trained.</exception>
    public SortNetwork ExportNetwork() =>
        _network ?? throw new InvalidOperationException($"{_component}: the SORT model is not trained; train or load it before exporting.");

    /// <summary>The data's schema the model was built for (set once it is trained or loaded).</summary>
    public FeatureSchema Schema => _schema ?? throw new InvalidOperationException($"{_component}: the SORT model has no feature schema yet");

    /// <summary>
    /// The metadata every SORT export carries (<see cref="OnnxExport.MetadataFor"/>): the component, its options (the
    /// inference settings in the graph included) and schema; rerank.max_positions = max_length (the onnx plugin refuses
    /// longer slates, as the engine does) and rerank.mean_price.
    /// </summary>
    public Dictionary<string, string> ExportMetadata(OnnxExportSettings settings, string kind)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var identity = new CheckpointIdentity(_pluginId, _pluginVersion, _component, HyperParameters.From(_options), Schema.Describe());
        var model = new Dictionary<string, string>
        {
            ["rerank.max_positions"] = _options.MaxLength.ToString(CultureInfo.InvariantCulture),
            ["rerank.mean_price"] = MeanPrice.ToString("R", CultureInfo.InvariantCulture),
        };
        return OnnxExport.MetadataFor(identity, kind, settings, model);
    }

    /// <summary>x_j − x_{j−1} along the positions (x_{−1} = 0).</summary>
    private static OnnxValue Delta(OnnxGraph graph, OnnxValue x)
    {
        var zero = graph.Int64s(0);
        var first = graph.Mul(graph.Slice(x, zero, graph.Int64s(1), 1), graph.Scalar(0f));
        var previous = graph.Concat(1, first, graph.Slice(x, zero, graph.Int64s(-1), 1));
        return graph.Sub(x, previous);
    }
}
