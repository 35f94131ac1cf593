namespace Rerank.Plugins.SortGen;

/// <summary>
/// R candidate sequences of one <see cref="Rerank.Abstractions.RerankBatch"/>, padded to a common length T: row r belongs to
/// request <see cref="Request"/>[r] and lists candidate indices <see cref="Items"/>[r·T .. r·T+T) (−1 after its end).
/// These are the (sub-)lists SORT scores: logged exposures in training, prefix + queue head at generation.
/// </summary>
internal sealed class SequenceRows
{
    public SequenceRows(int[] request, int[] items, int length)
    {
        if (length < 1 || items.Length != request.Length * length)
        {
            throw new ArgumentException($"Sequence rows disagree: {request.Length} rows, {items.Length} items, length {length}.");
        }

        Request = request;
        Items = items;
        Length = length;
    }

    /// <summary>Request index of each row.</summary>
    public int[] Request { get; }

    /// <summary>Row-major <c>[R, T]</c> candidate indices, −1 for padding.</summary>
    public int[] Items { get; }

    /// <summary>T.</summary>
    public int Length { get; }

    /// <summary>R.</summary>
    public int Count => Request.Length;

    /// <summary>The real length of row <paramref name="r"/> (items before the first −1).</summary>
    public int LengthOf(int r)
    {
        var row = Items.AsSpan(r * Length, Length);
        var n = row.IndexOf(-1);
        return n < 0 ? Length : n;
    }
}
