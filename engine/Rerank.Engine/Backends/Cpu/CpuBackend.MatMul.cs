using System.Runtime.CompilerServices;
namespace Rerank.Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MatMul(Tensor a, Tensor b, Tensor c, bool transA, bool transB, float alpha, float beta)
    {
        // The kernels read tensors through raw pointers: keep every operand reachable until they are done,
        // or the GC may free a temporary whose last managed use was taking its pointer.
        try
        {
            var m = c.Shape[-2];
            var n = c.Shape[-1];
            var k = transA ? a.Shape[-2] : a.Shape[-1];
            var args = new GemmArgs(transA, transB, m, n, k, alpha, a.Shape[-1], b.Shape[-1], beta, n);
            var batches = c.Count / Math.Max(1, m * n);
            var aStride = a.Count / Math.Max(1, a.Shape[-1] * a.Shape[-2]) == 1 ? 0 : a.Shape[-1] * a.Shape[-2];
            var bStride = b.Count / Math.Max(1, b.Shape[-1] * b.Shape[-2]) == 1 ? 0 : b.Shape[-1] * b.Shape[-2];
            if (batches <= 1)
            {
                Gemm.Run(args, P(a), P(b), P(c));
                return;
            }

            var work = BatchedGemmWork.Instance;
            work.Set(args, P(a), aStride, P(b), bStride, P(c), m * n, batches);
            var flops = 2L * m * n * k * batches;
            ParallelRunner.Run(work, flops < 500_000 ? 1 : ParallelRunner.PartsFor(batches));
            work.Clear();
        }
        finally
        {
            GC.KeepAlive(a);
            GC.KeepAlive(b);
            GC.KeepAlive(c);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void LinearActivated(Tensor x, Tensor weight, Tensor? bias, UnaryOp? activation, Tensor y)
    {
        // The kernels read tensors through raw pointers: keep every operand reachable until they are done,
        // or the GC may free a temporary whose last managed use was taking its pointer.
        try
        {
            var inF = weight.Shape[1];
            var outF = weight.Shape[0];
            var rows = x.Count / Math.Max(1, inF);
            var epilogue = activation switch
            {
                null => Epilogue.None,
                UnaryOp.Relu => Epilogue.Relu,
                UnaryOp.Gelu => Epilogue.Gelu,
                _ => throw new ArgumentOutOfRangeException(nameof(activation), $"No fused epilogue for {activation}."),
            };
            var args = new GemmArgs(false, true, rows, outF, inF, 1f, inF, inF, 0f, outF, epilogue, bias is null ? 0 : (nint)P(bias));
            Gemm.Run(args, P(x), P(weight), P(y));
        }
        finally
        {
            GC.KeepAlive(x);
            GC.KeepAlive(weight);
            GC.KeepAlive(bias);
            GC.KeepAlive(y);
        }
    }

    /// <summary>Splits the batches of a batched GEMM across threads; one cached instance per calling thread.</summary>
    private sealed class BatchedGemmWork : IParallelWork
    {
        [ThreadStatic]
        private static BatchedGemmWork? _instance;

        private GemmArgs _g;
        private float* _a;
        private float* _b;
        private float* _c;
        private int _aStride;
        private int _bStride;
        private int _cStride;
        private int _batches;

        public static BatchedGemmWork Instance => _instance ??= new BatchedGemmWork();

        public void Set(in GemmArgs g, float* a, int aStride, float* b, int bStride, float* c, int cStride, int batches)
        {
            _g = g;
            _a = a;
            _b = b;
            _c = c;
            _aStride = aStride;
            _bStride = bStride;
            _cStride = cStride;
            _batches = batches;
        }

        public void Clear() => _a = _b = _c = null;

        public void Execute(int part, int parts, int worker)
        {
            var b0 = _batches * part / parts;
            var b1 = _batches * (part + 1) / parts;
            for (var i = b0; i < b1; i++)
            {
                Gemm.Serial(_g, _a + ((long)i * _aStride), _b + ((long)i * _bStride), _c + ((long)i * _cStride), 0, _g.M);
            }
        }
    }
}
