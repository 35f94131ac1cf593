namespace Rerank.Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    private const int SharedLimit = 48 * 1024;

    /// <inheritdoc/>
    /// <remarks>Not fused on the GPU: the layer runs its ops (cuBLAS GEMMs and the fused attention kernel).</remarks>
    public bool TryEncoderLayer(Tensor x, Tensor? keyMask, bool causal, in EncoderLayerWeights weights, Tensor y) => false;

    /// <inheritdoc/>
    /// <remarks>Not fused on the GPU: the composed ops (permutes, batched cuBLAS GEMMs, softmax) run and are recorded.</remarks>
    public bool TryHeadsAttentionForward(Tensor q, Tensor k, Tensor v, int heads, Tensor? keyMask, bool causal, Tensor probabilities, Tensor output) => false;

    /// <inheritdoc/>
    public void HeadsAttentionBackward(Tensor q, Tensor k, Tensor v, int heads, Tensor probabilities, Tensor dOutput, Tensor? dq, Tensor? dk, Tensor? dv, bool accumulateQ, bool accumulateK, bool accumulateV) =>
        throw new NotSupportedException($"HeadsAttentionBackward on {Device}: attention with gradients is not fused here (TryHeadsAttentionForward returned false), so there is no fused forward to differentiate.");

    /// <inheritdoc/>
    public bool FusesKernels() => false;

    /// <summary>
    /// The fused attention kernel (Kernels/attention.cu): grid x = batch·heads, grid y = query chunks of one query per
    /// warp; the head's K and V go to shared memory when [K | V] plus the per-warp scratch fit in 48 KiB.
    /// </summary>
    public void HeadsAttention(Tensor q, Tensor k, Tensor v, int heads, Tensor? keyMask, bool causal, Tensor output)
    {
        int b = q.Shape[0];
        int nq = q.Shape[1];
        int nk = k.Shape[1];
        int dk = q.Shape[2] / heads;
        if (b == 0 || nq == 0)
        {
            return;
        }

        const int Warps = CudaRuntime.Threads / 32;
        var scratch = Warps * (nk + dk) * sizeof(float);
        var staged = 2 * nk * dk * sizeof(float);
        int useShared = staged + scratch <= SharedLimit ? 1 : 0;
        var shared = scratch + (useShared == 1 ? staged : 0);
        if (shared > SharedLimit)
        {
            throw new ArgumentException($"HeadsAttention on {Device}: {nk} keys × head width {dk} need {shared} bytes of shared scratch (limit {SharedLimit}).");
        }

        int isCausal = causal ? 1 : 0;
        float scale = 1f / MathF.Sqrt(dk);
        var gridY = Math.Max(1, Math.Min((nq + Warps - 1) / Warps, 4));
        ulong pq = D(q), pk = D(k), pv = D(v), pm = D(keyMask, 0), po = D(output);
        void** args = stackalloc void*[] { &nq, &nk, &heads, &dk, &isCausal, &scale, &pq, &pk, &pv, &pm, &po, &useShared };
        Run("rr_heads_attention", b * heads, args, gridY, shared);
    }
}
