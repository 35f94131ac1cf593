using Rerank.Abstractions;
using Rerank.Engine.Onnx;

namespace Rerank.Plugins.SortGen;

internal sealed partial class SortFeatures
{
    /// <summary>
    /// The inputs of eq. 3 in <paramref name="graph"/>, as <see cref="Encode"/> builds them, read from the <c>onnx</c>
    /// plugin's sources — for an evaluator's slates (<paramref name="slates"/>) slate_mask, slate_categorical, slate_dense,
    /// slate_embeddings and slate_priors, one row per slate with its items in slate order; for candidates candidate_mask,
    /// item_categorical, item_dense, embeddings and priors — and user_categorical, user_dense, history_embeddings and
    /// history_mask (the row's request); only those the schema has. Positions are not embedded yet (see
    /// <see cref="SortNetwork.ToOnnx"/>).
    /// </summary>
    public static SortOnnxFeatures ToOnnx(OnnxGraph graph, OnnxInputs inputs, FeatureSchema schema, int historyWindow, bool slates)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(schema);
        var (rowAxis, axis) = slates ? ("rows", "l") : ("batch", "n");
        string Source(string slate, string candidate) => slates ? slate : candidate;
        var mask = inputs.Get(Source("slate_mask", "candidate_mask"), OnnxType.Float, rowAxis, axis);
        var c = schema.CategoricalCount(FeatureSide.Item);
        var cu = schema.CategoricalCount(FeatureSide.User);
        var fd = schema.DenseWidth(FeatureSide.Item);
        var fu = schema.DenseWidth(FeatureSide.User);
        var e = schema.EmbeddingWidth;
        var p = schema.PriorNames.Length;
        var items = c > 0 ? inputs.Get(Source("slate_categorical", "item_categorical"), OnnxType.Int64, rowAxis, axis, c) : null;
        var users = cu > 0 ? inputs.Get("user_categorical", OnnxType.Int64, rowAxis, cu) : null;

        // Dense: item dense ‖ embedding ‖ prior logits ‖ cos(item, intent) ‖ intent ‖ user dense.
        var zeros = graph.Unsqueeze(graph.Mul(mask, graph.Scalar(0f)), -1); // [rows, t, 1]
        var dense = new List<OnnxValue>();
        if (fd > 0)
        {
            dense.Add(inputs.Get(Source("slate_dense", "item_dense"), OnnxType.Float, rowAxis, axis, fd));
        }

        OnnxValue? embeddings = null;
        if (e > 0)
        {
            embeddings = inputs.Get(Source("slate_embeddings", "embeddings"), OnnxType.Float, rowAxis, axis, e);
            dense.Add(embeddings);
        }

        if (p > 0)
        {
            var priors = graph.Clip(inputs.Get(Source("slate_priors", "priors"), OnnxType.Float, rowAxis, axis, p), 1e-4f, 1 - 1e-4f);
            dense.Add(graph.Log(graph.Div(priors, graph.Sub(graph.Scalar(1f), priors))));
        }

        if (embeddings is null)
        {
            dense.Add(zeros);
        }
        else
        {
            var intent = Intent(graph, inputs, e, historyWindow);
            var wide = graph.Unsqueeze(intent, 1); // [rows, 1, e]
            var dot = graph.ReduceSum(graph.Mul(embeddings, wide), true, 2);
            var norms = graph.Mul(graph.ReduceSum(graph.Mul(embeddings, embeddings), true, 2), graph.ReduceSum(graph.Mul(wide, wide), true, 2));
            dense.Add(graph.Where(graph.Less(graph.Scalar(0f), norms), graph.Div(dot, graph.Sqrt(norms)), graph.Scalar(0f)));
            dense.Add(graph.Add(wide, zeros));
        }

        if (fu > 0)
        {
            dense.Add(graph.Add(graph.Unsqueeze(inputs.Get("user_dense", OnnxType.Float, rowAxis, fu), 1), zeros));
        }

        return new SortOnnxFeatures(items, users, graph.Concat(2, [.. dense]), mask);
    }

    /// <summary>The current-intent vector <c>[rows, e]</c>: the sum of the last <paramref name="window"/> history embeddings, normalised (zeros without history).</summary>
    private static OnnxValue Intent(OnnxGraph graph, OnnxInputs inputs, int e, int window)
    {
        var (sum, _) = inputs.RecentHistory(e, window);
        var norm = graph.Sqrt(graph.ReduceSum(graph.Mul(sum, sum), true, 1));
        return graph.Div(sum, graph.Where(graph.Less(graph.Scalar(0f), norm), norm, graph.Scalar(1f)));
    }
}
