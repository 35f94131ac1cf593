using Microsoft.ML.OnnxRuntime.Tensors;
using Rerank.Abstractions;

namespace Rerank.Plugins.Onnx;

/// <summary>
/// An ONNX model that emits slates: candidate indices [B, L] (one slate per request) or [B, K, L] (K slates, best first).
/// Indices must be real, distinct candidates; a negative index ends a slate early (padding). Slate k of K scores K − k.
/// </summary>
internal sealed class OnnxGenerator(OnnxGeneratorOptions options, ComponentContext context)
    : OnnxComponent(options, context, new OutputContract([TensorElementType.Int64, TensorElementType.Int32], [2, 3], "int64 [B, L] or [B, K, L] candidate indices")), IGenerator
{
    public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var feeds = Feeds(batch);
        long[] values;
        long[] shape;
        if (Model.OutputMeta.ElementDataType == TensorElementType.Int32)
        {
            var (ints, s) = Run<int>(feeds);
            (values, shape) = ([.. ints.Select(v => (long)v)], s);
        }
        else
        {
            (values, shape) = Run<long>(feeds);
        }

        var k = shape.Length == 3 ? (int)shape[1] : 1;
        CheckShape(shape, "slates", shape.Length == 3 ? [batch.Count, -1, -1] : [batch.Count, -1]);
        var length = (int)shape[^1];
        var result = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            var slates = new List<Slate>();
            for (var j = 0; j < Math.Min(k, Math.Max(1, count)); j++)
            {
                var indices = new List<int>();
                foreach (var v in values.AsSpan(((b * k) + j) * length, length))
                {
                    if (v < 0)
                    {
                        break;
                    }

                    if (v >= batch.CandidateCounts[b] || indices.Contains((int)v))
                    {
                        throw new InvalidOperationException(
                            $"{Name}: slate {j} of request {b} has index {v}, {(v >= batch.CandidateCounts[b] ? $"but the request has {batch.CandidateCounts[b]} candidates" : "twice")}");
                    }

                    indices.Add((int)v);
                }

                slates.Add(new Slate([.. indices], k - j));
            }

            result[b] = slates;
        }

        return result;
    }
}
