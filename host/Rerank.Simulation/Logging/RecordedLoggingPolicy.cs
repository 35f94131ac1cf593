namespace Rerank.Simulation.Logging;

/// <summary>
/// A logging policy known only from the columns a log recorded for one request (see docs/logs.md): it answers for the
/// slate that was shown and reports everything else as unknown (<see langword="null"/>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="SlateProbability"/> of the shown slate: the recorded slate propensity, else the product of the
/// per-position conditional propensities; null for any other slate or when neither was recorded.</item>
/// <item><see cref="PrefixProbabilities"/> of the shown slate or a prefix of it: the running products of the
/// per-position conditional propensities; null for any other slate or when they were not recorded.</item>
/// <item><see cref="PositionMarginal"/> of the shown item at its own position: the recorded marginal propensity; null for
/// any other (position, item) pair (the log does not say how often other items were placed there).</item>
/// <item><see cref="PairMarginals"/>: always null (a log records no pairwise marginals).</item>
/// </list>
/// </remarks>
public sealed class RecordedLoggingPolicy : ILoggingPolicy
{
    private readonly int[] _shown;
    private readonly double[]? _conditional;
    private readonly double[]? _marginal;
    private readonly double? _slate;

    /// <summary>The policy of a request with <paramref name="candidates"/> candidates whose slate <paramref name="shown"/> was logged.</summary>
    /// <param name="candidates">N.</param>
    /// <param name="shown">The shown slate: candidate indices, first position first.</param>
    /// <param name="conditional">Per position: the probability of its item given the items before it; null when not recorded.</param>
    /// <param name="marginal">Per position: the marginal probability of its item there; null when not recorded.</param>
    /// <param name="slate">The probability of the whole slate; null when not recorded.</param>
    public RecordedLoggingPolicy(int candidates, int[] shown, double[]? conditional, double[]? marginal, double? slate)
    {
        ArgumentNullException.ThrowIfNull(shown);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        if (shown.Length == 0 || shown.Length > candidates || shown.Any(i => i < 0 || i >= candidates))
        {
            throw new ArgumentException($"the shown slate must hold 1 … {candidates} candidate indices in [0, {candidates})", nameof(shown));
        }

        CheckPerPosition(conditional, shown.Length, nameof(conditional));
        CheckPerPosition(marginal, shown.Length, nameof(marginal));
        if (slate is { } s && !(s > 0 && s <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(slate), s, "a probability must be in (0, 1]");
        }

        Candidates = candidates;
        _shown = [.. shown];
        _conditional = conditional is null ? null : [.. conditional];
        _marginal = marginal is null ? null : [.. marginal];
        _slate = slate;
    }

    /// <inheritdoc />
    public int Candidates { get; }

    /// <inheritdoc />
    public int SlateSize => _shown.Length;

    /// <inheritdoc />
    public double? SlateProbability(ReadOnlySpan<int> slate)
    {
        if (!slate.SequenceEqual(_shown))
        {
            return null;
        }

        return _slate ?? PrefixProbabilities(slate)?[^1];
    }

    /// <inheritdoc />
    public double[]? PrefixProbabilities(ReadOnlySpan<int> slate)
    {
        if (_conditional is null || slate.Length == 0 || slate.Length > _shown.Length || !slate.SequenceEqual(_shown.AsSpan(0, slate.Length)))
        {
            return null;
        }

        var prefixes = new double[slate.Length];
        var product = 1.0;
        for (var k = 0; k < slate.Length; k++)
        {
            product *= _conditional[k];
            prefixes[k] = product;
        }

        return prefixes;
    }

    /// <inheritdoc />
    public double? PositionMarginal(int position, int item) =>
        _marginal is not null && position >= 0 && position < _shown.Length && _shown[position] == item ? _marginal[position] : null;

    /// <inheritdoc />
    public double[,]? PairMarginals() => null;

    private static void CheckPerPosition(double[]? values, int length, string name)
    {
        if (values is null)
        {
            return;
        }

        if (values.Length != length)
        {
            throw new ArgumentException($"one probability per shown position is needed ({length}), got {values.Length}", name);
        }

        if (values.Any(p => !(p > 0 && p <= 1)))
        {
            throw new ArgumentOutOfRangeException(name, "every probability must be in (0, 1]");
        }
    }
}
