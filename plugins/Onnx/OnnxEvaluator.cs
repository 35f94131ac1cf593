using Rerank.Abstractions;

namespace Rerank.Plugins.Onnx;

/// <summary>
/// An ONNX model as an evaluator: every slate of the batch is one row (its candidates' features in slate order, padded to
/// the longest slate, with a mask); the model's [R] output is each slate's value, a [R, L] output is summed over the
/// slate's positions.
/// </summary>
internal sealed class OnnxEvaluator(OnnxEvaluatorOptions options, ComponentContext context)
    : OnnxComponent(options, context, FloatOutput("float32 [R] (a value per slate) or [R, L] (per position, summed)", 1, 2)), IEvaluator
{
    public double[][] Evaluate(RerankBatch batch, IReadOnlyList<IReadOnlyList<Slate>> slates, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(slates);
        var rows = new List<(int Request, Slate Slate)>();
        for (var b = 0; b < slates.Count; b++)
        {
            rows.AddRange(slates[b].Select(s => (b, s)));
        }

        var result = slates.Select(s => new double[s.Count]).ToArray();
        if (rows.Count == 0)
        {
            return result;
        }

        var length = Math.Max(1, rows.Max(r => r.Slate.Count));
        CheckSlateLength(length);
        var feeds = Inputs(() => [.. Model.Inputs.Select(i => Feed.OfSlates(i.From, batch, rows, length))]);
        var (values, shape) = Run<float>(feeds);
        var perPosition = shape.Length == 2;
        if (perPosition)
        {
            CheckShape(shape, "per-position values", rows.Count, length);
        }
        else
        {
            CheckShape(shape, "slate values", rows.Count);
        }

        var i = 0;
        for (var b = 0; b < slates.Count; b++)
        {
            for (var k = 0; k < slates[b].Count; k++, i++)
            {
                result[b][k] = perPosition ? values.AsSpan(i * length, slates[b][k].Count).ToArray().Sum(v => (double)v) : values[i];
            }
        }

        return result;
    }
}
