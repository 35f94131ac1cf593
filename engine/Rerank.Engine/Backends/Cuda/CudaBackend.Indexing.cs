using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    public void GatherRows(Tensor src, int rowsPerBatch, bool srcBatched, ReadOnlySpan<int> index, int perBatch, Tensor dst)
    {
        int d = dst.Shape.Last;
        int total = index.Length * d;
        if (total == 0)
        {
            return;
        }

        using var idx = UploadIndex(index);
        int batched = srcBatched ? 1 : 0;
        ulong pi = idx.Pointer, ps = D(src), pd = D(dst);
        void** args = stackalloc void*[] { &total, &d, &rowsPerBatch, &batched, &perBatch, &pi, &ps, &pd };
        Run("rr_gather_rows", Runtime.Blocks(total), args);
    }

    public void ScatterAddRows(Tensor dy, int rowsPerBatch, bool srcBatched, ReadOnlySpan<int> index, int perBatch, Tensor dsrc)
    {
        int d = dy.Shape.Last;
        int total = index.Length * d;
        if (total == 0)
        {
            return;
        }

        using var idx = UploadIndex(index);
        int batched = srcBatched ? 1 : 0;
        ulong pi = idx.Pointer, pg = D(dy), pd = D(dsrc);
        void** args = stackalloc void*[] { &total, &d, &rowsPerBatch, &batched, &perBatch, &pi, &pg, &pd };
        Run("rr_scatter_add_rows", Runtime.Blocks(total), args);
    }

    public void CopyBlocks(Tensor src, int srcOffset, int srcStride, Tensor dst, int dstOffset, int dstStride, int block, int count, bool accumulate)
    {
        int total = block * count;
        if (total == 0)
        {
            return;
        }

        int acc = accumulate ? 1 : 0;
        ulong ps = D(src), pd = D(dst);
        void** args = stackalloc void*[] { &total, &block, &ps, &srcOffset, &srcStride, &pd, &dstOffset, &dstStride, &acc };
        Run("rr_copy_blocks", Runtime.Blocks(total), args);
    }

    public void Permute(Tensor src, ReadOnlySpan<int> perm, Tensor dst, bool accumulate)
    {
        int n = dst.Count;
        if (n == 0)
        {
            return;
        }

        var w = Walk.Of(dst.Shape);
        for (var d = 0; d < dst.Rank; d++)
        {
            w.S0[d] = src.Shape.Stride(perm[d]);
        }

        int acc = accumulate ? 1 : 0;
        ulong ps = D(src), pd = D(dst);
        void** args = stackalloc void*[] { &n, &ps, &pd, &acc, &w };
        Run("rr_permute", Runtime.Blocks(n), args);
    }

    public void ReduceAxis(Tensor src, int outer, int n, int inner, float scale, Tensor dst, bool accumulate)
    {
        long total = (long)outer * inner;
        if (total == 0)
        {
            return;
        }

        int acc = accumulate ? 1 : 0;
        ulong ps = D(src), pd = D(dst);
        void** args = stackalloc void*[] { &outer, &n, &inner, &scale, &ps, &pd, &acc };
        Run("rr_reduce_axis", Runtime.Blocks(total), args);
    }

    public void ExpandAxis(Tensor src, int outer, int n, int inner, float scale, Tensor dst, bool accumulate)
    {
        int total = outer * n * inner;
        if (total == 0)
        {
            return;
        }

        int acc = accumulate ? 1 : 0;
        ulong ps = D(src), pd = D(dst);
        void** args = stackalloc void*[] { &total, &n, &inner, &scale, &ps, &pd, &acc };
        Run("rr_expand_axis", Runtime.Blocks(total), args);
    }

    public void PickLast(Tensor x, ReadOnlySpan<int> index, Tensor y)
    {
        int rows = index.Length;
        if (rows == 0)
        {
            return;
        }

        int c = x.Shape.Last;
        using var idx = UploadIndex(index);
        ulong pi = idx.Pointer, px = D(x), py = D(y);
        void** args = stackalloc void*[] { &rows, &c, &pi, &px, &py };
        Run("rr_pick_last", Runtime.Blocks(rows), args);
    }

    public void GreedySlates(Tensor scores, Span<int> slates)
    {
        int n = scores.Shape.Last, l = scores.Shape[scores.Rank - 2];
        int rows = scores.Count / (l * n);
        if (rows == 0)
        {
            return;
        }

        using var picks = Runtime.Rent((long)rows * l * sizeof(int));
        ulong ps = D(scores), po = picks.Pointer;
        void** args = stackalloc void*[] { &rows, &l, &n, &ps, &po };
        Run("rr_greedy_slates", Runtime.RowBlocks(rows), args);
        fixed (int* p = slates)
        {
            NoHostCopyWhileCapturing("the slates read back to the host");
            DriverApi.CopyDeviceToHost(p, po, (nuint)(rows * l) * sizeof(int), Runtime.StreamPtr);
        }

        Runtime.Synchronize();
    }

    public void PickLastBackward(Tensor dy, ReadOnlySpan<int> index, Tensor dx)
    {
        int rows = index.Length;
        if (rows == 0)
        {
            return;
        }

        int c = dx.Shape.Last;
        using var idx = UploadIndex(index);
        ulong pi = idx.Pointer, pg = D(dy), pd = D(dx);
        void** args = stackalloc void*[] { &rows, &c, &pi, &pg, &pd };
        Run("rr_pick_last_backward", Runtime.Blocks(rows), args);
    }
}
