using Rerank.Runtime.Randomness;

namespace Rerank.Simulation.Logging;

/// <summary>Position and pair marginals of the Plackett–Luce logger: exact where small enough, seeded Monte Carlo otherwise.</summary>
public sealed partial class PlackettLuceLoggingPolicy
{
    /// <summary>
    /// P(item i at position k) exactly: p(S), the probability that the first |S| positions hold the set S (in any order),
    /// spreads to p(S ∪ {i}) with P(i | not S); position k's marginal of i is Σ_{|S|=k} p(S)·P(i | not S). Sets of one
    /// size are indexed by their colex rank Σ_j C(c_j, j + 1) (c ascending).
    /// </summary>
    private double[,] ExactPositionMarginals()
    {
        var n = Candidates;
        var l = SlateSize;
        var binomial = Binomials(n, l);
        var marginals = new double[l, n];
        var layer = new double[] { 1.0 };
        var placed = new bool[n];
        var next = new double[n];
        for (var k = 0; k < l; k++)
        {
            var following = k + 1 < l ? new double[binomial[n, k + 1]] : null;
            var set = new int[k];
            for (var j = 0; j < k; j++)
            {
                set[j] = j;
            }

            do
            {
                var p = layer[Rank(set, binomial)];
                if (p == 0)
                {
                    continue;
                }

                Array.Clear(placed);
                foreach (var item in set)
                {
                    placed[item] = true;
                }

                NextProbabilities(placed, next);
                for (var i = 0; i < n; i++)
                {
                    if (placed[i])
                    {
                        continue;
                    }

                    marginals[k, i] += p * next[i];
                    if (following is not null)
                    {
                        following[RankWith(set, i, binomial)] += p * next[i];
                    }
                }
            }
            while (NextCombination(set, n));

            layer = following ?? layer;
        }

        return marginals;
    }

    /// <summary>
    /// The Rao–Blackwellised Monte Carlo marginals: the mean over seeded draws of P(i at k | the draw's first k items).
    /// </summary>
    private double[,] SampledPositionMarginals()
    {
        var n = Candidates;
        var rng = SeededRandom.For(_seed, "plackett-luce position marginals");
        var marginals = new double[SlateSize, n];
        var placed = new bool[n];
        var next = new double[n];
        for (var draw = 0; draw < _samples; draw++)
        {
            var slate = Sample(rng);
            Array.Clear(placed);
            for (var k = 0; k < SlateSize; k++)
            {
                NextProbabilities(placed, next);
                for (var i = 0; i < n; i++)
                {
                    marginals[k, i] += next[i];
                }

                placed[slate[k]] = true;
            }
        }

        Scale(marginals, 1.0 / _samples);
        return marginals;
    }

    /// <summary>Γ exactly: every ordered slate s, depth first, adds μ(s) to Γ[(j, s_j), (k, s_k)] for all j, k.</summary>
    private double[,] EnumeratedPairMarginals()
    {
        var n = Candidates;
        var pairs = new double[SlateSize * n, SlateSize * n];
        var slate = new int[SlateSize];
        var placed = new bool[n];
        var steps = new double[SlateSize][];
        for (var k = 0; k < SlateSize; k++)
        {
            steps[k] = new double[n];
        }

        Enumerate(0, 1.0);
        return pairs;

        void Enumerate(int k, double probability)
        {
            if (k == SlateSize)
            {
                AddOuter(pairs, slate, n, probability);
                return;
            }

            var next = steps[k];
            NextProbabilities(placed, next);
            for (var i = 0; i < n; i++)
            {
                if (placed[i] || next[i] == 0)
                {
                    continue;
                }

                slate[k] = i;
                placed[i] = true;
                Enumerate(k + 1, probability * next[i]);
                placed[i] = false;
            }
        }
    }

    /// <summary>Γ by Monte Carlo: (1/samples) Σ 1_s 1_sᵀ over seeded draws.</summary>
    private double[,] SampledPairMarginals()
    {
        var n = Candidates;
        var rng = SeededRandom.For(_seed, "plackett-luce pair marginals");
        var pairs = new double[SlateSize * n, SlateSize * n];
        for (var draw = 0; draw < _samples; draw++)
        {
            AddOuter(pairs, Sample(rng), n, 1.0);
        }

        Scale(pairs, 1.0 / _samples);
        return pairs;
    }

    private static void AddOuter(double[,] pairs, int[] slate, int n, double weight)
    {
        for (var j = 0; j < slate.Length; j++)
        {
            for (var k = 0; k < slate.Length; k++)
            {
                pairs[(j * n) + slate[j], (k * n) + slate[k]] += weight;
            }
        }
    }

    private static void Scale(double[,] values, double factor)
    {
        for (var i = 0; i < values.GetLength(0); i++)
        {
            for (var j = 0; j < values.GetLength(1); j++)
            {
                values[i, j] *= factor;
            }
        }
    }

    /// <summary>C(m, k) for m ≤ n, k ≤ l (only called below the exact caps, so it fits a long).</summary>
    private static long[,] Binomials(int n, int l)
    {
        var c = new long[n + 1, l + 1];
        for (var m = 0; m <= n; m++)
        {
            c[m, 0] = 1;
            for (var k = 1; k <= Math.Min(m, l); k++)
            {
                c[m, k] = c[m - 1, k - 1] + (k <= m - 1 ? c[m - 1, k] : 0);
            }
        }

        return c;
    }

    /// <summary>The colex rank of an ascending set: Σ_j C(set[j], j + 1).</summary>
    private static long Rank(int[] set, long[,] binomial)
    {
        var rank = 0L;
        for (var j = 0; j < set.Length; j++)
        {
            rank += Binom(binomial, set[j], j + 1);
        }

        return rank;
    }

    /// <summary>The colex rank of the ascending set with <paramref name="item"/> (not in it) inserted.</summary>
    private static long RankWith(int[] set, int item, long[,] binomial)
    {
        var rank = 0L;
        var j = 0;
        var inserted = false;
        foreach (var member in set)
        {
            if (!inserted && item < member)
            {
                rank += Binom(binomial, item, ++j);
                inserted = true;
            }

            rank += Binom(binomial, member, ++j);
        }

        return inserted ? rank : rank + Binom(binomial, item, j + 1);
    }

    private static long Binom(long[,] binomial, int m, int k) => k > m ? 0 : binomial[m, k];

    /// <summary>Advances an ascending k-subset of 0 … n−1 to the next in lexicographic order; false after the last.</summary>
    private static bool NextCombination(int[] set, int n)
    {
        var k = set.Length;
        var i = k - 1;
        while (i >= 0 && set[i] == n - k + i)
        {
            i--;
        }

        if (i < 0)
        {
            return false;
        }

        set[i]++;
        for (var j = i + 1; j < k; j++)
        {
            set[j] = set[j - 1] + 1;
        }

        return true;
    }
}
