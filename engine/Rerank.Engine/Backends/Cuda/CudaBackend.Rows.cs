using Rerank.Engine.Backends.Cpu;

namespace Rerank.Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    public void Softmax(Tensor x, Tensor? mask, bool causal, bool log, Tensor y)
    {
        int c = x.Shape.Last;
        int rows = x.Count / Math.Max(1, c);
        if (rows == 0 || c == 0)
        {
            return;
        }

        int nq = x.Rank >= 2 ? x.Shape[-2] : 1;
        int isCausal = causal ? 1 : 0;
        int isLog = log ? 1 : 0;
        var w = Walk.Of(x.Shape);
        if (mask is not null)
        {
            CpuBackend.BroadcastStrides(mask.Shape, x.Shape, new Span<int>(w.S0, TensorShape.MaxRank));
        }

        ulong px = D(x), pm = D(mask, 0), py = D(y);
        void** args = stackalloc void*[] { &rows, &c, &nq, &isCausal, &isLog, &px, &pm, &py, &w };
        Run("rr_softmax", Runtime.RowBlocks(rows), args);
    }

    public void SoftmaxBackward(Tensor y, Tensor dy, bool log, Tensor dx)
    {
        int c = y.Shape.Last;
        int rows = y.Count / Math.Max(1, c);
        if (rows == 0 || c == 0)
        {
            return;
        }

        int isLog = log ? 1 : 0;
        ulong py = D(y), pg = D(dy), pd = D(dx);
        void** args = stackalloc void*[] { &rows, &c, &isLog, &py, &pg, &pd };
        Run("rr_softmax_backward", Runtime.RowBlocks(rows), args);
    }

    public void LayerNorm(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, Tensor y, Tensor? mean, Tensor? rstd)
    {
        int d = x.Shape.Last;
        int rows = x.Count / Math.Max(1, d);
        if (rows == 0 || d == 0)
        {
            return;
        }

        ulong px = D(x), pg = D(gamma, 0), pb = D(beta, 0), py = D(y), pm = D(mean, 0), pr = D(rstd, 0);
        void** args = stackalloc void*[] { &rows, &d, &epsilon, &px, &pg, &pb, &py, &pm, &pr };
        Run("rr_layer_norm", Runtime.RowBlocks(rows), args);
    }

    public void LayerNormBackward(Tensor x, Tensor? gamma, Tensor mean, Tensor rstd, Tensor dy, Tensor? dx, Tensor? dgamma, Tensor? dbeta)
    {
        int d = x.Shape.Last;
        int rows = x.Count / Math.Max(1, d);
        if (rows == 0 || d == 0)
        {
            return;
        }

        ulong px = D(x), pg = D(gamma, 0), pm = D(mean), pr = D(rstd), pdy = D(dy);
        if (dgamma is not null || dbeta is not null)
        {
            ulong pdg = D(dgamma, 0), pdb = D(dbeta, 0);
            void** p = stackalloc void*[] { &rows, &d, &px, &pm, &pr, &pdy, &pdg, &pdb };
            Run("rr_layer_norm_backward_params", Math.Min(d, 65535), p);
        }

        if (dx is not null)
        {
            ulong pdx = D(dx);
            void** args = stackalloc void*[] { &rows, &d, &px, &pg, &pm, &pr, &pdy, &pdx };
            Run("rr_layer_norm_backward_input", Runtime.RowBlocks(rows), args);
        }
    }
}
