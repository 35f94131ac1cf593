using Rerank.Engine.Nn;

namespace Rerank.Engine.Tests;

/// <summary>
/// A tiny pointer-attention transformer (Vinyals et al. pointer networks on a Transformer): an encoder over the
/// numbers, a causal decoder whose input at step t is the encoding of the item picked at t − 1, and pointer
/// logits q_t·k_iᵀ/√d over the items not yet picked.
/// </summary>
internal sealed class PointerSorter : Module
{
    private readonly int _d;

    public PointerSorter(int n, int d, Rng rng)
    {
        N = n;
        _d = d;
        Input = Child("input", new Linear(1, d, rng));
        Encoder = Child("encoder", new TransformerEncoder(2, d, 4, 2 * d, rng));
        Positions = Child("positions", new Embedding(n, d, rng, 0.5f));
        Decoder = Child("decoder", new TransformerDecoderLayer(d, 4, 2 * d, rng));
        PointerQuery = Child("pointer_query", new Linear(d, d, rng));
        PointerKey = Child("pointer_key", new Linear(d, d, rng));
    }

    public int N { get; }

    public Linear Input { get; }

    public TransformerEncoder Encoder { get; }

    public Embedding Positions { get; }

    public TransformerDecoderLayer Decoder { get; }

    public Linear PointerQuery { get; }

    public Linear PointerKey { get; }

    /// <summary>Logits [B, N(steps), N(items)] given the previously picked item per step (−1 at step 0).</summary>
    public Tensor Logits(Tensor values, int[] previous, int[] positionIds)
    {
        var b = values.Shape[0];
        var memory = Encoder.Forward(Input.Forward(Ops.Reshape(values, new TensorShape(b, N, 1))));
        var decoderInput = Ops.Add(Ops.GatherRows(memory, previous, N), Positions.Forward(positionIds, new TensorShape(b, N)));
        var decoded = Decoder.Forward(decoderInput, memory);
        var logits = Ops.MatMul(PointerQuery.Forward(decoded), PointerKey.Forward(memory), transB: true, alpha: 1f / MathF.Sqrt(_d));
        return logits;
    }

    /// <summary>Greedy decoding, one step at a time, never repeating an item.</summary>
    public int[] Decode(Tensor values)
    {
        var b = values.Shape[0];
        var previous = Enumerable.Repeat(-1, b * N).ToArray();
        var positions = PositionIds(b, N);
        var order = new int[b * N];
        var used = new bool[b * N];
        using var _ = Autograd.NoGrad();
        for (var t = 0; t < N; t++)
        {
            var logits = Logits(values, previous, positions);
            for (var i = 0; i < b; i++)
            {
                var best = -1;
                var bestScore = float.NegativeInfinity;
                for (var j = 0; j < N; j++)
                {
                    var s = logits[i, t, j];
                    if (!used[(i * N) + j] && s > bestScore)
                    {
                        best = j;
                        bestScore = s;
                    }
                }

                order[(i * N) + t] = best;
                used[(i * N) + best] = true;
                if (t + 1 < N)
                {
                    previous[(i * N) + t + 1] = best;
                }
            }
        }

        return order;
    }

    public static int[] PositionIds(int b, int n) => [.. Enumerable.Range(0, b * n).Select(i => i % n)];
}
