using Rerank.Simulation.Logging;

namespace Rerank.Evaluation.OffPolicy;

/// <summary>The pseudo-inverse estimator (Swaminathan et al. 2017) and its self-normalised form.</summary>
public static partial class SlateEstimators
{
    /// <summary>
    /// The largest L·N for which the pseudo-inverse estimator decomposes Γ (an O((L·N)³) eigendecomposition per distinct
    /// logging policy): 400. Above it the estimator refuses rather than run for minutes.
    /// </summary>
    public const int MaxPseudoInverseSize = 400;

    /// <summary>
    /// Eigenvalues of Γ at or below this fraction of the largest are treated as 0 in Γ⁺ (Γ is singular: each position's
    /// indicators sum to 1, so some directions carry no probability, and rounding leaves them near, not at, 0).
    /// </summary>
    public const double PseudoInverseCutoff = 1e-10;

    private const string PairRecord = "the logging policy's pairwise (position, item) marginals Γ";

    /// <summary>
    /// The pseudo-inverse estimator: V̂ = (1/n) Σ_i (Σ_k r_ik) · w_i with w_i = q_iᵀ Γ_i⁺ 1_{s_i}, where 1_s ∈ {0,1}^{L·N}
    /// marks slate s's (position, item) pairs, q_i = 1_{a_i} and Γ_i = E_μ[1_s 1_sᵀ]. Unbiased when rewards are additive
    /// over (position, item) pairs. Weights can be negative; clipping caps them from above only.
    /// </summary>
    public static OffPolicyEstimate Pi(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions? options = null)
    {
        options ??= new();
        return PseudoInverseWeights("PI", log, targets, options).Mean("PI", options);
    }

    /// <summary>Self-normalised PI: V̂ = Σ_i w_i Σ_k r_ik / Σ_i w_i (0 when the weights sum to 0).</summary>
    public static OffPolicyEstimate SnPi(IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions? options = null)
    {
        options ??= new();
        return PseudoInverseWeights("SN-PI", log, targets, options).SelfNormalised("SN-PI", options);
    }

    private static EstimatorTerms PseudoInverseWeights(string estimator, IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions options)
    {
        LogChecks.Slates(estimator, log, targets, options);
        var terms = new EstimatorTerms(log.Count, 1, options.Clip);
        var decompositions = new Dictionary<ILoggingPolicy, (double[,] Pairs, SymmetricEigen Eigen)>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < log.Count; i++)
        {
            var entry = log[i];
            var (slate, rewards, policy) = entry;
            var n = policy.Candidates;
            var size = policy.SlateSize * n;
            if (size > MaxPseudoInverseSize)
            {
                throw new NotSupportedException($"{estimator}: request {i} has L·N = {policy.SlateSize}·{n} = {size} (position, item) pairs; the pseudo-inverse of Γ is computed up to {MaxPseudoInverseSize}");
            }

            if (!Projections.TryGetValue(entry, out var projection))
            {
                if (!decompositions.TryGetValue(policy, out var decomposition))
                {
                    var pairs = policy.PairMarginals()
                        ?? throw new InvalidOperationException($"{estimator} needs pair marginals Γ; request {i}'s log has none (record {PairRecord})");
                    if (pairs.GetLength(0) != size || pairs.GetLength(1) != size)
                    {
                        throw new ArgumentException($"{estimator}: request {i}'s pair marginals are {pairs.GetLength(0)}×{pairs.GetLength(1)}, not L·N × L·N = {size}×{size}");
                    }

                    decomposition = (pairs, SymmetricEigen.Of(pairs));
                    decompositions.Add(policy, decomposition);
                }

                for (var k = 0; k < slate.Length; k++)
                {
                    var diagonal = (k * n) + slate[k];
                    LogChecks.Probability(estimator, i, decomposition.Pairs[diagonal, diagonal], $"pair marginal Γ of its item at position {k}", PairRecord);
                }

                projection = Projection(decomposition.Eigen, slate, n);
                Projections.AddOrUpdate(entry, projection);
            }

            var target = targets[i];
            var weight = 0.0;
            for (var k = 0; k < target.Length; k++)
            {
                weight += projection[(k * n) + target[k]];
            }

            var w = terms.Weigh(weight);
            terms.Set(i, 0, w * rewards.Sum(), w);
        }

        return terms;
    }

    /// <summary>
    /// Γ⁺ 1_s of each logged request, kept while its <see cref="LoggedSlate"/> lives: PI's weight for any target a is then
    /// 1_aᵀ (Γ⁺ 1_s), a sum of L entries, so the O((L·N)³) decomposition runs once per logged request, not once per
    /// estimator and pipeline. An entry is set only after the request's checks passed.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<LoggedSlate, double[]> Projections = new();

    /// <summary>Γ⁺ 1_s = Σ_{λ_j &gt; cutoff·λ_max} v_j (v_j · 1_s) / λ_j.</summary>
    private static double[] Projection(SymmetricEigen eigen, int[] slate, int n)
    {
        var largest = eigen.Values.Max();
        var projection = new double[eigen.Vectors.Length];
        for (var j = 0; j < eigen.Values.Length; j++)
        {
            var lambda = eigen.Values[j];
            if (!(lambda > PseudoInverseCutoff * largest))
            {
                continue;
            }

            var alongSlate = 0.0;
            for (var k = 0; k < slate.Length; k++)
            {
                alongSlate += eigen.Vectors[(k * n) + slate[k]][j];
            }

            var scale = alongSlate / lambda;
            for (var p = 0; p < projection.Length; p++)
            {
                projection[p] += eigen.Vectors[p][j] * scale;
            }
        }

        return projection;
    }
}
