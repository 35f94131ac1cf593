namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>The same data under another shape (a view; no copy)..</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public static Tensor Reshape(Tensor x, TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (shape.Count != x.Count)
        {
            throw new ArgumentException($"Reshape: cannot view {x.Shape} ({x.Count} elements) as {shape} ({shape.Count} elements).");
        }

        var y = x.View(shape);
        if (Tensor.NeedsGrad(x))
        {
            RecordReshape(x, y);
        }

        return y;
    }

    /// <summary>Swaps two dims (copies into a contiguous tensor).</summary>
    public static Tensor Transpose(Tensor x, int dim0, int dim1)
    {
        ArgumentNullException.ThrowIfNull(x);
        Span<int> perm = stackalloc int[x.Rank];
        for (var i = 0; i < perm.Length; i++)
        {
            perm[i] = i;
        }

        var a = Axis(x, dim0, "Transpose");
        var b = Axis(x, dim1, "Transpose");
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(x, perm);
    }

    /// <summary>Reorders dims: output dim d is input dim perm[d] (copies into a contiguous tensor).</summary>
    /// <exception cref="ArgumentException">perm is not a permutation of the dims.</exception>
    public static Tensor Permute(Tensor x, params ReadOnlySpan<int> perm)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (perm.Length != x.Rank)
        {
            throw new ArgumentException($"Permute: {perm.Length} axes given for shape {x.Shape}.");
        }

        Span<int> dims = stackalloc int[x.Rank];
        var seen = 0;
        for (var d = 0; d < perm.Length; d++)
        {
            if ((uint)perm[d] >= (uint)x.Rank || (seen & (1 << perm[d])) != 0)
            {
                throw new ArgumentException($"Permute: [{string.Join(", ", perm.ToArray())}] is not a permutation of the {x.Rank} dims of {x.Shape}.");
            }

            seen |= 1 << perm[d];
            dims[d] = x.Shape[perm[d]];
        }

        var y = Out(new TensorShape(dims), x);
        B(x).Permute(x, perm, y, accumulate: false);
        if (Tensor.NeedsGrad(x))
        {
            RecordPermute(x, y, perm);
        }

        return y;
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; all other dims must match.</summary>
    /// <exception cref="ArgumentException">No tensors, or mismatched dims.</exception>
    public static Tensor Concat(IReadOnlyList<Tensor> parts, int axis)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("Concat needs at least one tensor.", nameof(parts));
        }

        var first = parts[0];
        var ax = Axis(first, axis, "Concat");
        var total = 0;
        foreach (var p in parts)
        {
            if (p.Rank != first.Rank || p.Shape.With(ax, 1) != first.Shape.With(ax, 1))
            {
                throw new ArgumentException($"Concat along axis {axis}: shape {p.Shape} does not match {first.Shape} outside that axis.");
            }

            total += p.Shape[ax];
        }

        var y = Out(first.Shape.With(ax, total), first);
        var (outer, _, inner) = Around(y.Shape, ax);
        var offset = 0;
        foreach (var p in parts)
        {
            var block = p.Shape[ax] * inner;
            B(p).CopyBlocks(p, 0, block, y, offset, total * inner, block, outer, accumulate: false);
            offset += block;
        }

        var needs = false;
        foreach (var p in parts)
        {
            needs |= Tensor.NeedsGrad(p);
        }

        if (needs)
        {
            RecordConcat(parts.ToArray(), y, ax, inner, total, outer);
        }

        return y;
    }

    /// <summary>The sub-range [start, start + length) of <paramref name="axis"/> (a copy).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range leaves the axis.</exception>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(x);
        var ax = Axis(x, axis, "Slice");
        if (start < 0 || length < 0 || start + length > x.Shape[ax])
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) leaves axis {axis} of size {x.Shape[ax]} in {x.Shape}.");
        }

        var y = Out(x.Shape.With(ax, length), x);
        var (outer, n, inner) = Around(x.Shape, ax);
        B(x).CopyBlocks(x, start * inner, n * inner, y, 0, length * inner, length * inner, outer, accumulate: false);
        if (Tensor.NeedsGrad(x))
        {
            RecordSlice(x, y, start, length, outer, n, inner);
        }

        return y;
    }

    private static void RecordReshape(Tensor x, Tensor y) =>
        Tensor.Record(y, "Reshape", dy => B(dy).Axpy(1f, dy, Grad(x)), x);

    private static void RecordPermute(Tensor x, Tensor y, ReadOnlySpan<int> perm)
    {
        var inverse = new int[perm.Length];
        for (var d = 0; d < perm.Length; d++)
        {
            inverse[perm[d]] = d;
        }

        Tensor.Record(y, "Permute", dy => B(dy).Permute(dy, inverse, Grad(x), accumulate: true), x);
    }

    private static void RecordConcat(Tensor[] inputs, Tensor y, int ax, int inner, int total, int outer) =>
        Tensor.Record(
            y,
            "Concat",
            dy =>
            {
                var off = 0;
                foreach (var p in inputs)
                {
                    var block = p.Shape[ax] * inner;
                    if (p.RequiresGrad)
                    {
                        B(dy).CopyBlocks(dy, off, total * inner, Grad(p), 0, block, block, outer, accumulate: true);
                    }

                    off += block;
                }
            },
            inputs);

    private static void RecordSlice(Tensor x, Tensor y, int start, int length, int outer, int n, int inner) =>
        Tensor.Record(y, "Slice", dy => B(dy).CopyBlocks(dy, 0, length * inner, Grad(x), start * inner, n * inner, length * inner, outer, accumulate: true), x);
}
