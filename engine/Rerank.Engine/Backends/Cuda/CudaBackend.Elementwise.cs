using Rerank.Engine.Backends.Cpu;

namespace Rerank.Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    public void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        int n = y.Count;
        int code = (int)op;
        ulong pa = D(a), pb = D(b), py = D(y);
        if (n == 0)
        {
            return;
        }

        if (a.Count == n && b.Count == n)
        {
            void** same = stackalloc void*[] { &code, &n, &pa, &pb, &py };
            Run("rr_binary_same", Runtime.Blocks(n), same);
            return;
        }

        var w = Walk.Of(y.Shape);
        CpuBackend.BroadcastStrides(a.Shape, y.Shape, new Span<int>(w.S0, TensorShape.MaxRank));
        CpuBackend.BroadcastStrides(b.Shape, y.Shape, new Span<int>(w.S1, TensorShape.MaxRank));
        void** args = stackalloc void*[] { &code, &n, &pa, &pb, &py, &w };
        Run("rr_binary_broadcast", Runtime.Blocks(n), args);
    }

    public void ReduceToShape(Tensor src, Tensor dst, bool accumulate)
    {
        if (src.Count == dst.Count)
        {
            if (accumulate)
            {
                Axpy(1f, src, dst);
            }
            else
            {
                Copy(src, dst);
            }

            return;
        }

        int dstCount = dst.Count;
        if (dstCount == 0)
        {
            return;
        }

        int reduceCount = src.Count / dstCount;
        int acc = accumulate ? 1 : 0;
        var w = Walk.Of(src.Shape);
        Span<int> dstStrides = stackalloc int[TensorShape.MaxRank];
        CpuBackend.BroadcastStrides(dst.Shape, src.Shape, dstStrides);
        for (var d = 0; d < src.Rank; d++)
        {
            w.S0[d] = src.Shape.Stride(d);
            w.S1[d] = dstStrides[d] != 0 ? 1 : 0;
        }

        ulong ps = D(src), pd = D(dst);
        void** args = stackalloc void*[] { &dstCount, &reduceCount, &ps, &pd, &acc, &w };
        Run("rr_reduce_to_shape", Runtime.Blocks(dstCount), args);
    }

    public void Unary(UnaryOp op, Tensor x, Tensor y, float alpha, float beta)
    {
        int code = (int)op;
        int n = x.Count;
        if (n == 0)
        {
            return;
        }

        ulong px = D(x), py = D(y);
        void** args = stackalloc void*[] { &code, &n, &px, &py, &alpha, &beta };
        Run("rr_unary", Runtime.Blocks(n), args);
    }

    public void UnaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx, float alpha, bool accumulate)
    {
        int code = (int)op;
        int n = dx.Count;
        if (n == 0)
        {
            return;
        }

        if (!accumulate)
        {
            Fill(dx, 0f); // the kernel adds into dx
        }

        ulong px = D(x), py = D(y), pg = D(dy), pd = D(dx);
        void** args = stackalloc void*[] { &code, &n, &px, &py, &pg, &pd, &alpha };
        Run("rr_unary_backward", Runtime.Blocks(n), args);
    }
}
