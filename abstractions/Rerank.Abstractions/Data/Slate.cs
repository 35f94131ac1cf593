namespace Rerank.Abstractions;

/// <summary>An ordered list of candidates (indices into the request's candidates) with the score of the stage that produced it.</summary>
public sealed class Slate
{
    /// <summary>Creates a slate.</summary>
    /// <param name="indices">Candidate indices, first position first.</param>
    /// <param name="score">The producing stage's score of the whole list (higher is better).</param>
    /// <param name="itemScores">Optional per-position scores aligned with <paramref name="indices"/> (e.g. relevance), used by diversifiers.</param>
    public Slate(int[] indices, double score, float[]? itemScores = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (itemScores is not null && itemScores.Length != indices.Length)
        {
            throw new ArgumentException($"Slate has {indices.Length} items but {itemScores.Length} item scores.", nameof(itemScores));
        }

        Indices = indices;
        Score = score;
        ItemScores = itemScores;
    }

    /// <summary>Candidate indices, first position first.</summary>
    public int[] Indices { get; }

    /// <summary>The producing stage's score of the list.</summary>
    public double Score { get; }

    /// <summary>Per-position scores aligned with <see cref="Indices"/>, or <see langword="null"/>.</summary>
    public float[]? ItemScores { get; }

    /// <summary>Number of items in the slate.</summary>
    public int Count => Indices.Length;

    /// <summary>The same items with a new list score.</summary>
    public Slate WithScore(double score) => new(Indices, score, ItemScores);

    /// <summary>The first <paramref name="count"/> items.</summary>
    public Slate Truncate(int count) => count >= Indices.Length
        ? this
        : new Slate(Indices[..count], Score, ItemScores?[..count]);

    /// <inheritdoc />
    public override string ToString() => $"[{string.Join(", ", Indices)}] ({Score:G4})";
}
