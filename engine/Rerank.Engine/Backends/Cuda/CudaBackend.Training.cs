namespace Rerank.Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    /// <summary>Draws the mask on the host from <paramref name="rng"/> (the same stream of draws as the CPU backend, so a seed gives the same mask on both) and uploads it.</summary>
    public void DropoutMask(Tensor mask, float keep, Rng rng)
    {
        var host = new float[mask.Count];
        var scale = 1f / keep;
        for (var i = 0; i < host.Length; i++)
        {
            host[i] = rng.NextFloat() < keep ? scale : 0f;
        }

        Upload(host, mask);
    }

    public void BceWithLogits(Tensor x, Tensor target, Tensor y) => ThreeOperand("rr_bce_with_logits", x.Count, x, target, y);

    public void BceWithLogitsBackward(Tensor x, Tensor target, Tensor dy, Tensor dx)
    {
        int n = x.Count;
        if (n == 0)
        {
            return;
        }

        ulong px = D(x), pt = D(target), pg = D(dy), pd = D(dx);
        void** args = stackalloc void*[] { &n, &px, &pt, &pg, &pd };
        Run("rr_bce_with_logits_backward", Runtime.Blocks(n), args);
    }

    public void KlDiv(Tensor logQ, Tensor p, Tensor y) => ThreeOperand("rr_kl_div", y.Count, logQ, p, y);

    public void KlDivBackward(Tensor p, Tensor dy, Tensor dlogQ) => ThreeOperand("rr_kl_div_backward", dlogQ.Count, p, dy, dlogQ);

    public void AdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, in AdamStepArgs args)
    {
        int n = param.Count;
        if (n == 0)
        {
            return;
        }

        float beta1 = args.Beta1, beta2 = args.Beta2, eps = args.Epsilon, lr = args.LearningRate, wd = args.WeightDecay;
        int decoupled = args.Decoupled ? 1 : 0;
        var bc1 = 1f - MathF.Pow(args.Beta1, args.Step);
        var bc2 = 1f - MathF.Pow(args.Beta2, args.Step);
        float stepSize = args.LearningRate / bc1;
        float sqrtBc2 = MathF.Sqrt(bc2);
        ulong pp = D(param), pg = D(grad), pm = D(m), pv = D(v);
        void** a = stackalloc void*[] { &n, &pp, &pg, &pm, &pv, &beta1, &beta2, &eps, &lr, &wd, &decoupled, &stepSize, &sqrtBc2 };
        Run("rr_adam_step", Runtime.Blocks(n), a);
    }

    public void SgdStep(Tensor param, Tensor grad, Tensor? velocity, float learningRate, float momentum, float weightDecay, bool nesterov)
    {
        int n = param.Count;
        if (n == 0)
        {
            return;
        }

        int nest = nesterov ? 1 : 0;
        ulong pp = D(param), pg = D(grad), pv = D(velocity, 0);
        void** a = stackalloc void*[] { &n, &pp, &pg, &pv, &learningRate, &momentum, &weightDecay, &nest };
        Run("rr_sgd_step", Runtime.Blocks(n), a);
    }

    private void ThreeOperand(string kernel, int n, Tensor a, Tensor b, Tensor c)
    {
        if (n == 0)
        {
            return;
        }

        ulong pa = D(a), pb = D(b), pc = D(c);
        void** args = stackalloc void*[] { &n, &pa, &pb, &pc };
        Run(kernel, Runtime.Blocks(n), args);
    }
}
