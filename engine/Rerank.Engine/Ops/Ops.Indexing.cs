namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>
    /// Embedding lookup: rows of <paramref name="table"/> [V, D] at <paramref name="ids"/>, output shape
    /// <paramref name="idsShape"/> + [D]. A negative id gives a zero row (padding). The ids must stay unchanged
    /// until backward has run.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is ≥ V.</exception>
    public static Tensor Embedding(Tensor table, ReadOnlyMemory<int> ids, TensorShape idsShape)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Rank != 2)
        {
            throw new ArgumentException($"Embedding table must be [V, D], got {table.Shape}.", nameof(table));
        }

        CheckIds(ids.Span, idsShape, table.Shape[0], "Embedding");
        Span<int> dims = stackalloc int[idsShape.Rank + 1];
        idsShape.CopyTo(dims);
        dims[^1] = table.Shape[1];
        var y = Out(new TensorShape(dims), table);
        B(table).GatherRows(table, table.Shape[0], false, ids.Span, Math.Max(1, ids.Length), y);
        if (Tensor.NeedsGrad(table))
        {
            RecordGather("Embedding", table, y, table.Shape[0], false, ids, Math.Max(1, ids.Length));
        }

        return y;
    }

    /// <summary>
    /// Batched row gather: x [B, N, D], <paramref name="index"/> [B, K] (row-major, values in [0, N) or −1 for a
    /// zero row) → [B, K, D]. The index must stay unchanged until backward has run.
    /// </summary>
    public static Tensor GatherRows(Tensor x, ReadOnlyMemory<int> index, int perBatch)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || perBatch <= 0 || index.Length != x.Shape[0] * perBatch)
        {
            throw new ArgumentException($"GatherRows needs x [B, N, D] and B·K indices; got {x.Shape} with {index.Length} indices and K = {perBatch}.");
        }

        CheckIds(index.Span, new TensorShape(index.Length), x.Shape[1], "GatherRows");
        var n = x.Shape[1];
        var y = Out(new TensorShape(x.Shape[0], perBatch, x.Shape[2]), x);
        B(x).GatherRows(x, n, true, index.Span, perBatch, y);
        if (Tensor.NeedsGrad(x))
        {
            RecordGather("GatherRows", x, y, n, true, index, perBatch);
        }

        return y;
    }

    /// <summary>Picks x[r, index[r]] for each row r of the last dim → shape x.Shape without its last dim; 0 where index is negative.</summary>
    public static Tensor PickLast(Tensor x, ReadOnlyMemory<int> index)
    {
        ArgumentNullException.ThrowIfNull(x);
        var c = x.Shape.Last;
        var rows = x.Count / Math.Max(1, c);
        if (index.Length != rows)
        {
            throw new ArgumentException($"PickLast: {index.Length} indices for {rows} rows of {x.Shape}.", nameof(index));
        }

        CheckIds(index.Span, new TensorShape(rows), c, "PickLast");
        Span<int> dims = stackalloc int[x.Rank - 1];
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = x.Shape[i];
        }

        var y = Out(new TensorShape(dims), x);
        B(x).PickLast(x, index.Span, y);
        if (Tensor.NeedsGrad(x))
        {
            RecordPickLast(x, y, index);
        }

        return y;
    }

    /// <summary>
    /// Greedy slates from <paramref name="scores"/> [.., L, N] (leading dims are R rows, L ≤ N): in each row, position j
    /// takes the highest-scoring candidate not taken at an earlier position; ties go to the lowest index. Runs where
    /// the scores live (on a GPU only the R·L indices come back). Not differentiable.
    /// </summary>
    /// <returns>R·L candidate indices, row-major [R, L].</returns>
    public static int[] GreedySlates(Tensor scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var slates = new int[SlateCount(scores)];
        GreedySlates(scores, slates);
        return slates;
    }

    /// <summary><see cref="GreedySlates(Tensor)"/> into <paramref name="slates"/> (length R·L).</summary>
    public static void GreedySlates(Tensor scores, Span<int> slates)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var count = SlateCount(scores);
        if (slates.Length != count)
        {
            throw new ArgumentException($"GreedySlates: scores {scores.Shape} give {count} picks; the destination holds {slates.Length}.", nameof(slates));
        }

        if (count > 0)
        {
            B(scores).GreedySlates(scores, slates);
        }
    }

    private static int SlateCount(Tensor scores)
    {
        if (scores.Rank < 2 || scores.Shape[scores.Rank - 2] > scores.Shape.Last)
        {
            throw new ArgumentException($"GreedySlates needs scores [.., L, N] with L ≤ N; got {scores.Shape}.", nameof(scores));
        }

        var n = scores.Shape.Last;
        return n == 0 ? 0 : scores.Count / n;
    }

    private static void CheckIds(ReadOnlySpan<int> ids, TensorShape shape, int limit, string op)
    {
        if (ids.Length != shape.Count)
        {
            throw new ArgumentException($"{op}: {ids.Length} ids do not fill shape {shape}.");
        }

        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i] >= limit)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), $"{op}: index {ids[i]} at position {i} is out of range [0, {limit}).");
            }
        }
    }

    private static void RecordGather(string op, Tensor src, Tensor y, int rows, bool batched, ReadOnlyMemory<int> index, int perBatch) =>
        Tensor.Record(y, op, dy => B(dy).ScatterAddRows(dy, rows, batched, index.Span, perBatch, Grad(src)), src);

    private static void RecordPickLast(Tensor x, Tensor y, ReadOnlyMemory<int> index) =>
        Tensor.Record(y, "PickLast", dy => B(dy).PickLastBackward(dy, index.Span, Grad(x)), x);
}
