using Rerank.Engine.Backends.Cuda.Native;

namespace Rerank.Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    /// <summary>
    /// Row-major C = alpha·op(A)·op(B) + beta·C through column-major cuBLAS: a row-major matrix is its transpose in
    /// column-major, so Cᵀ = op(B)ᵀ·op(A)ᵀ is computed with B as the first operand (m' = n, n' = m) and the same
    /// transpose flags. Batches use cublasSgemmStridedBatched; a side with one batch gets stride 0 (broadcast).
    /// </summary>
    public void MatMul(Tensor a, Tensor b, Tensor c, bool transA, bool transB, float alpha, float beta)
    {
        Runtime.MakeCurrent();
        var m = c.Shape[-2];
        var n = c.Shape[-1];
        var k = transA ? a.Shape[-2] : a.Shape[-1];
        if (m == 0 || n == 0)
        {
            return;
        }

        var lda = a.Shape[-1];
        var ldb = b.Shape[-1];
        var batches = c.Count / (m * n);
        var aMat = a.Shape[-1] * a.Shape[-2];
        var bMat = b.Shape[-1] * b.Shape[-2];
        long strideA = a.Count / Math.Max(1, aMat) == 1 ? 0 : aMat;
        long strideB = b.Count / Math.Max(1, bMat) == 1 ? 0 : bMat;
        var opA = transA ? CublasApi.OpT : CublasApi.OpN;
        var opB = transB ? CublasApi.OpT : CublasApi.OpN;
        if (k == 0)
        {
            // cuBLAS with k = 0 scales C by beta; keep the CPU semantics (C = beta·C) explicitly.
            Unary(UnaryOp.Affine, c, c, beta, 0f);
            return;
        }

        lock (Runtime.BlasLock)
        {
            if (batches == 1)
            {
                CublasApi.Sgemm(Runtime.BlasPtr, opB, opA, n, m, k, alpha, D(b), ldb, D(a), lda, beta, D(c), n);
            }
            else
            {
                CublasApi.SgemmStridedBatched(Runtime.BlasPtr, opB, opA, n, m, k, alpha, D(b), ldb, strideB, D(a), lda, strideA, beta, D(c), n, (long)m * n, batches);
            }
        }
    }

    /// <summary>y = act(x·Wᵀ + b): one GEMM (W as the transposed first operand), then a fused bias + activation pass.</summary>
    public void LinearActivated(Tensor x, Tensor weight, Tensor? bias, UnaryOp? activation, Tensor y)
    {
        Runtime.MakeCurrent();
        var inF = weight.Shape[1];
        var outF = weight.Shape[0];
        var rows = x.Count / Math.Max(1, inF);
        int act = activation switch
        {
            null => 0,
            UnaryOp.Relu => 1,
            UnaryOp.Gelu => 2,
            _ => throw new ArgumentOutOfRangeException(nameof(activation), $"No fused epilogue for {activation}."),
        };
        if (rows == 0 || outF == 0)
        {
            return;
        }

        if (inF == 0)
        {
            Fill(y, 0f);
        }
        else
        {
            // row-major y [rows, out] = x [rows, in]·Wᵀ  ⇔  column-major yᵀ [out, rows] = W (col-major [in, out], op T)·xᵀ.
            lock (Runtime.BlasLock)
            {
                CublasApi.Sgemm(Runtime.BlasPtr, CublasApi.OpT, CublasApi.OpN, outF, rows, inF, 1f, D(weight), inF, D(x), inF, 0f, D(y), outF);
            }
        }

        if (bias is null && act == 0)
        {
            return;
        }

        int total = rows * outF;
        ulong pb = D(bias, 0), py = D(y);
        void** args = stackalloc void*[] { &total, &outF, &pb, &act, &py };
        Run("rr_bias_activation", Runtime.Blocks(total), args);
    }
}
