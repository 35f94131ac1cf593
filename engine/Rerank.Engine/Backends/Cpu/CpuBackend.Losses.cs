using System.Runtime.CompilerServices;
namespace Rerank.Engine.Backends.Cpu;

internal sealed partial class CpuBackend
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BceWithLogits(Tensor x, Tensor target, Tensor y)
    {
        var sx = S(x);
        var st = S(target);
        var sy = S(y);
        for (var i = 0; i < sx.Length; i++)
        {
            var v = sx[i];
            sy[i] = MathF.Max(v, 0f) - (v * st[i]) + MathF.Log(1f + MathF.Exp(-MathF.Abs(v)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BceWithLogitsBackward(Tensor x, Tensor target, Tensor dy, Tensor dx)
    {
        var sx = S(x);
        var st = S(target);
        var sg = S(dy);
        var sd = S(dx);
        for (var i = 0; i < sx.Length; i++)
        {
            sd[i] += sg[i] * ((1f / (1f + MathF.Exp(-sx[i]))) - st[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PickLast(Tensor x, ReadOnlySpan<int> index, Tensor y)
    {
        var sx = S(x);
        var sy = S(y);
        var c = x.Shape.Last;
        for (var r = 0; r < index.Length; r++)
        {
            sy[r] = index[r] < 0 ? 0f : sx[(r * c) + index[r]];
        }
    }

    public unsafe void GreedySlates(Tensor scores, Span<int> slates)
    {
        int n = scores.Shape.Last, l = scores.Shape[scores.Rank - 2];
        var rows = scores.Count / (l * n);
        fixed (int* o = slates)
        {
            GreedySlatesWork.Run(P(scores), o, rows, l, n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PickLastBackward(Tensor dy, ReadOnlySpan<int> index, Tensor dx)
    {
        var sg = S(dy);
        var sd = S(dx);
        var c = dx.Shape.Last;
        for (var r = 0; r < index.Length; r++)
        {
            if (index[r] >= 0)
            {
                sd[(r * c) + index[r]] += sg[r];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void KlDiv(Tensor logQ, Tensor p, Tensor y)
    {
        var sq = S(logQ);
        var sp = S(p);
        var sy = S(y);
        for (var i = 0; i < sy.Length; i++)
        {
            sy[i] = sp[i] > 0f ? sp[i] * (MathF.Log(sp[i]) - sq[i]) : 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void KlDivBackward(Tensor p, Tensor dy, Tensor dlogQ)
    {
        var sp = S(p);
        var sg = S(dy);
        var sd = S(dlogQ);
        for (var i = 0; i < sd.Length; i++)
        {
            sd[i] -= sp[i] * sg[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, in AdamStepArgs args)
    {
        var sp = S(param);
        var sg = S(grad);
        var sm = S(m);
        var sv = S(v);
        var bc1 = 1f - MathF.Pow(args.Beta1, args.Step);
        var bc2 = 1f - MathF.Pow(args.Beta2, args.Step);
        var stepSize = args.LearningRate / bc1;
        var sqrtBc2 = MathF.Sqrt(bc2);
        for (var i = 0; i < sp.Length; i++)
        {
            var g = sg[i];
            if (!args.Decoupled && args.WeightDecay != 0f)
            {
                g += args.WeightDecay * sp[i];
            }

            // Adam (Kingma & Ba, Alg. 1): m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; θ ← θ − α m̂ / (√v̂ + ε)
            sm[i] = (args.Beta1 * sm[i]) + ((1f - args.Beta1) * g);
            sv[i] = (args.Beta2 * sv[i]) + ((1f - args.Beta2) * g * g);
            var update = stepSize * sm[i] / ((MathF.Sqrt(sv[i]) / sqrtBc2) + args.Epsilon);
            if (args.Decoupled && args.WeightDecay != 0f)
            {
                // AdamW (Loshchilov & Hutter): decay applied to the weights, not through the gradient.
                update += args.LearningRate * args.WeightDecay * sp[i];
            }

            sp[i] -= update;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SgdStep(Tensor param, Tensor grad, Tensor? velocity, float learningRate, float momentum, float weightDecay, bool nesterov)
    {
        var sp = S(param);
        var sg = S(grad);
        var sv = velocity is null ? default : S(velocity);
        for (var i = 0; i < sp.Length; i++)
        {
            var g = sg[i] + (weightDecay * sp[i]);
            if (velocity is not null)
            {
                sv[i] = (momentum * sv[i]) + g;
                g = nesterov ? g + (momentum * sv[i]) : sv[i];
            }

            sp[i] -= learningRate * g;
        }
    }
}

/// <summary>Greedy slates split across threads by rows (each row is independent, so results never depend on the split).</summary>
internal sealed unsafe class GreedySlatesWork : IParallelWork
{
    [ThreadStatic]
    private static GreedySlatesWork? _instance;

    private float* _scores;
    private int* _slates;
    private int _rows;
    private int _l;
    private int _n;

    public static void Run(float* scores, int* slates, int rows, int l, int n)
    {
        var parts = (long)rows * l * n < 200_000 || ParallelRunner.IsInside ? 1 : ParallelRunner.PartsFor(rows);
        if (parts <= 1)
        {
            Rows(scores, slates, 0, rows, l, n);
            return;
        }

        var w = _instance ??= new GreedySlatesWork();
        w._scores = scores;
        w._slates = slates;
        w._rows = rows;
        w._l = l;
        w._n = n;
        ParallelRunner.Run(w, parts);
        w._scores = null;
        w._slates = null;
    }

    public void Execute(int part, int parts, int worker) =>
        Rows(_scores, _slates, (int)((long)_rows * part / parts), (int)((long)_rows * (part + 1) / parts), _l, _n);

    /// <summary>Rows [r0, r1): position j takes the first untaken candidate, replaced only by a strictly higher score.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows(float* scores, int* slates, int r0, int r1, int l, int n)
    {
        Span<bool> taken = n <= 1024 ? stackalloc bool[n] : new bool[n];
        for (var r = r0; r < r1; r++)
        {
            taken.Clear();
            for (var j = 0; j < l; j++)
            {
                var row = scores + ((((long)r * l) + j) * n);
                var best = -1;
                for (var c = 0; c < n; c++)
                {
                    if (!taken[c] && (best < 0 || row[c] > row[best]))
                    {
                        best = c;
                    }
                }

                taken[best] = true;
                slates[((long)r * l) + j] = best;
            }
        }
    }
}
