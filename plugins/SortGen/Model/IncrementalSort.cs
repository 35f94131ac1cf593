using Rerank.Abstractions;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// SORT's inference for step-by-step generation with a key/value cache (§3.2.2 "one forward pass"): because the transformer
/// is causal, the states of the selected prefix never change, so each step only computes the new position of every expansion
/// [S, i] — all rows of the step together, layer by layer — against the cached keys and values of S. The candidate part of
/// the input projection (eq. 3 without E_position) is computed once per request. The numbers equal <see cref="SortNetwork"/>'s
/// (same pre-norm layers, tanh-GELU, ReLU heads), checked by a test.
/// </summary>
internal sealed partial class IncrementalSort
{
    private readonly int d;
    private readonly int heads;
    private readonly int maxLength;
    private readonly bool ordered;
    private readonly int historyWindow;
    private readonly float[] inputWeight;
    private readonly float[] inputBias;
    private readonly int inputWidth;
    private readonly float[] positionProjected;
    private readonly Layer[] layers;
    private readonly float[] normGamma;
    private readonly float[] normBeta;
    private readonly Head click;
    private readonly Head pay;
    private readonly float[][] itemTables;
    private readonly float[][] userTables;
    private readonly int embeddingDim;

    public IncrementalSort(SortNetwork network, SortModelOptions options)
    {
        var p = network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        d = options.ModelDim;
        heads = options.Heads;
        maxLength = options.MaxLength;
        ordered = options.Loss == SortLoss.Ordered;
        historyWindow = options.HistoryWindow;
        embeddingDim = options.EmbeddingDim;
        inputWeight = p["input.weight"];
        inputBias = p["input.bias"];
        inputWidth = inputWeight.Length / d;
        itemTables = [.. network.ItemFieldNames.Select(n => p[$"item.{n}.weight"])];
        userTables = [.. network.UserFieldNames.Select(n => p[$"user.{n}.weight"])];

        // W_pos · E_position(t): the position block of the input projection, for every t.
        var positions = p["position.weight"];
        var dp = options.PositionDim;
        var offset = itemTables.Length * embeddingDim;
        positionProjected = new float[maxLength * d];
        for (var t = 0; t < maxLength; t++)
        {
            for (var o = 0; o < d; o++)
            {
                var sum = 0f;
                for (var k = 0; k < dp; k++)
                {
                    sum += inputWeight[(o * inputWidth) + offset + k] * positions[(t * dp) + k];
                }

                positionProjected[(t * d) + o] = sum;
            }
        }

        layers = [.. Enumerable.Range(0, options.Layers).Select(l => new Layer(p, $"layers.{l}."))];
        normGamma = p["norm.weight"];
        normBeta = p["norm.bias"];
        click = new Head(p, "click.");
        pay = new Head(p, "pay.");
    }

    /// <summary>Starts generation for request <paramref name="b"/>: projects every candidate's non-positional inputs once.</summary>
    public Session Begin(RerankBatch batch, int b, string component)
    {
        var n = batch.CandidateCounts[b];
        var items = new int[n];
        var request = new int[n];
        for (var i = 0; i < n; i++)
        {
            items[i] = i;
            request[i] = b;
        }

        // Each candidate alone as a one-item sequence gives its features; the position block is added per step instead.
        var f = SortFeatures.Encode(batch, new SequenceRows(request, items, 1), historyWindow, component);
        var projected = new float[n * d];
        var dense = f.Dense.Length / Math.Max(1, n);
        for (var i = 0; i < n; i++)
        {
            var x = new float[inputWidth];
            var at = 0;
            for (var k = 0; k < itemTables.Length; k++, at += embeddingDim)
            {
                itemTables[k].AsSpan(f.ItemIds[k][i] * embeddingDim, embeddingDim).CopyTo(x.AsSpan(at));
            }

            at += inputWidth - (itemTables.Length * embeddingDim) - (userTables.Length * embeddingDim) - dense; // the position block stays 0
            for (var k = 0; k < userTables.Length; k++, at += embeddingDim)
            {
                userTables[k].AsSpan(f.UserIds[k][i] * embeddingDim, embeddingDim).CopyTo(x.AsSpan(at));
            }

            f.Dense.AsSpan(i * dense, dense).CopyTo(x.AsSpan(at));
            MatVec(inputWeight, inputBias, x, projected.AsSpan(i * d, d), inputWidth, d);
        }

        return new Session(this, projected);
    }
}
