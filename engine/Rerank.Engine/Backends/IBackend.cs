namespace Rerank.Engine.Backends;

/// <summary>Element-wise functions with a closed-form derivative.</summary>
internal enum UnaryOp
{
    /// <summary>alpha·x + beta.</summary>
    Affine,
    Relu,

    /// <summary>GELU, tanh approximation (PyTorch approximate='tanh').</summary>
    Gelu,
    Sigmoid,
    Tanh,
    Exp,
    Log,
    Square,
    Sqrt,
}

/// <summary>Broadcasting binary arithmetic.</summary>
internal enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
}

/// <summary>Hyper-parameters of one Adam/AdamW update.</summary>
internal readonly record struct AdamStepArgs(float LearningRate, float Beta1, float Beta2, float Epsilon, float WeightDecay, bool Decoupled, int Step);

/// <summary>
/// Every kernel the engine runs. Ops and modules call only this interface (through <see cref="Backend"/>), so a
/// device backend (CUDA: driver API + NVRTC + cuBLAS) implements it and nothing above changes. Shapes are
/// validated by the ops before a kernel is called; kernels trust them. "accumulate" kernels add into the
/// destination (gradients), the others overwrite it.
/// </summary>
internal interface IBackend
{
    Device Device { get; }

    /// <summary>Fresh storage of <paramref name="length"/> elements, zero-filled (heap tensors such as gradients rely on it).</summary>
    TensorStorage Allocate(int length);

    void Fill(Tensor t, float value);

    void Copy(Tensor src, Tensor dst);

    /// <summary>y += alpha·x (same element count).</summary>
    void Axpy(float alpha, Tensor x, Tensor y);

    /// <summary>Batched C = alpha·op(A)·op(B) + beta·C over the leading dims; a side with one batch is broadcast.</summary>
    void MatMul(Tensor a, Tensor b, Tensor c, bool transA, bool transB, float alpha, float beta);

    /// <summary>y = act(x·Wᵀ + b) over rows of x [rows, in], W [out, in]; act ∈ {none, relu, gelu} fused into the GEMM (inference).</summary>
    void LinearActivated(Tensor x, Tensor weight, Tensor? bias, UnaryOp? activation, Tensor y);

    /// <summary>y = a op b with NumPy broadcasting (y has the broadcast shape).</summary>
    void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y);

    /// <summary>
    /// Sums <paramref name="src"/> over the dims that were broadcast to reach its shape from dst's shape, adding into dst
    /// or, without <paramref name="accumulate"/>, storing what adding onto zeros would (dst's contents are ignored).
    /// </summary>
    void ReduceToShape(Tensor src, Tensor dst, bool accumulate);

    void Unary(UnaryOp op, Tensor x, Tensor y, float alpha, float beta);

    /// <summary>
    /// dx += dy·f'(x) (y = f(x) is given for ops whose derivative uses it); without <paramref name="accumulate"/> dx's
    /// contents are ignored and it receives exactly what adding onto zeros would store.
    /// </summary>
    void UnaryBackward(UnaryOp op, Tensor x, Tensor y, Tensor dy, Tensor dx, float alpha, bool accumulate);

    /// <summary>(Log-)softmax over the last dim; mask (1 keep, 0 drop) broadcasts to x; causal drops keys after the query.</summary>
    void Softmax(Tensor x, Tensor? mask, bool causal, bool log, Tensor y);

    void SoftmaxBackward(Tensor y, Tensor dy, bool log, Tensor dx);

    void LayerNorm(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, Tensor y, Tensor? mean, Tensor? rstd);

    void LayerNormBackward(Tensor x, Tensor? gamma, Tensor mean, Tensor rstd, Tensor dy, Tensor? dx, Tensor? dgamma, Tensor? dbeta);

    /// <summary>dst[b,k,:] = src[srcBatched ? b : 0, index[b·K+k], :], zeros for a negative index.</summary>
    void GatherRows(Tensor src, int rowsPerBatch, bool srcBatched, ReadOnlySpan<int> index, int perBatch, Tensor dst);

    void ScatterAddRows(Tensor dy, int rowsPerBatch, bool srcBatched, ReadOnlySpan<int> index, int perBatch, Tensor dsrc);

    /// <summary>count blocks of block elements: dst[dstOffset + i·dstStride ..] (+)= src[srcOffset + i·srcStride ..].</summary>
    void CopyBlocks(Tensor src, int srcOffset, int srcStride, Tensor dst, int dstOffset, int dstStride, int block, int count, bool accumulate);

    /// <summary>dst (+)= src with its dims permuted: dst dim d is src dim perm[d].</summary>
    void Permute(Tensor src, ReadOnlySpan<int> perm, Tensor dst, bool accumulate);

    /// <summary>dst[o,i] (+)= scale·Σ_k src[o,k,i] for src viewed as [outer, n, inner].</summary>
    void ReduceAxis(Tensor src, int outer, int n, int inner, float scale, Tensor dst, bool accumulate);

    /// <summary>dst[o,k,i] (+)= scale·src[o,i] for dst viewed as [outer, n, inner].</summary>
    void ExpandAxis(Tensor src, int outer, int n, int inner, float scale, Tensor dst, bool accumulate);

    /// <summary>
    /// Inference-only fused multi-head attention on head-interleaved layouts: q [B, Nq, H·dk], k and v [B, Nk, H·dk]
    /// → output [B, Nq, H·dk]; keyMask [B, Nk] (1 keep) optional; causal hides keys after each query.
    /// </summary>
    void HeadsAttention(Tensor q, Tensor k, Tensor v, int heads, Tensor? keyMask, bool causal, Tensor output);

    /// <summary>
    /// Multi-head attention that will be differentiated, on the layouts of <see cref="HeadsAttention"/>: fills
    /// <paramref name="output"/> and <paramref name="probabilities"/> [B, H, Nq, Nk] (the softmax, kept for the backward)
    /// with exactly the values of the composed ops (head permutes, α·Q·Kᵀ, masked softmax, P·V), or returns false, writing
    /// nothing, when this backend does not fuse it (then the ops are composed and recorded one by one).
    /// </summary>
    bool TryHeadsAttentionForward(Tensor q, Tensor k, Tensor v, int heads, Tensor? keyMask, bool causal, Tensor probabilities, Tensor output);

    /// <summary>
    /// The backward of a fused <see cref="TryHeadsAttentionForward"/>: adds the gradients of q, k and v (each null when
    /// not needed) given the output's gradient, with the composed ops' values; a gradient whose <c>accumulate</c> flag is
    /// false is overwritten with what adding onto zeros would store (its contents are ignored).
    /// </summary>
    void HeadsAttentionBackward(Tensor q, Tensor k, Tensor v, int heads, Tensor probabilities, Tensor dOutput, Tensor? dq, Tensor? dk, Tensor? dv, bool accumulateQ, bool accumulateK, bool accumulateV);

    /// <summary>
    /// Whether this backend runs fused kernels where the ops would otherwise be composed: the encoder layer at inference
    /// (<see cref="TryEncoderLayer"/>), attention with gradients (<see cref="TryHeadsAttentionForward"/>) and Linear's bias
    /// inside its GEMM while training (<see cref="LinearActivated"/>) — each with the composed ops' values. Callers ask
    /// first so that they allocate outputs only when they will be used.
    /// </summary>
    bool FusesKernels();

    /// <summary>
    /// Inference-only: one whole pre-norm encoder layer on x [B, N, d] → y [B, N, d], computing every element with the
    /// same operations as the layer's ops one by one (LayerNorm, the four projections, <see cref="HeadsAttention"/>, the
    /// residual adds, Linear + activation, Linear), but a few rows at a time so that they stay in cache. Returns false,
    /// writing nothing, when this backend does not fuse the layer (then the caller runs the ops).
    /// </summary>
    bool TryEncoderLayer(Tensor x, Tensor? keyMask, bool causal, in EncoderLayerWeights weights, Tensor y);

    /// <summary>mask = 1/keep with probability keep, else 0.</summary>
    void DropoutMask(Tensor mask, float keep, Rng rng);

    /// <summary>y = max(x,0) − x·t + log(1 + e^{−|x|}) element-wise.</summary>
    void BceWithLogits(Tensor x, Tensor target, Tensor y);

    void BceWithLogitsBackward(Tensor x, Tensor target, Tensor dy, Tensor dx);

    /// <summary>y[r] = x[r, index[r]] over rows of the last dim; 0 where index is negative.</summary>
    void PickLast(Tensor x, ReadOnlySpan<int> index, Tensor y);

    void PickLastBackward(Tensor dy, ReadOnlySpan<int> index, Tensor dx);

    /// <summary>
    /// Greedy slates from scores [R, L, N] (leading dims flattened to R rows): in each row, position j takes the
    /// highest-scoring candidate not taken at an earlier position; ties go to the lowest index. Writes R·L indices.
    /// </summary>
    void GreedySlates(Tensor scores, Span<int> slates);

    /// <summary>y = p·(log p − logQ), 0 where p = 0.</summary>
    void KlDiv(Tensor logQ, Tensor p, Tensor y);

    /// <summary>dlogQ += −p·dy.</summary>
    void KlDivBackward(Tensor p, Tensor dy, Tensor dlogQ);

    /// <summary>Σ x², accumulated in double.</summary>
    double SumSquares(Tensor x);

    void AdamStep(Tensor param, Tensor grad, Tensor m, Tensor v, in AdamStepArgs args);

    void SgdStep(Tensor param, Tensor grad, Tensor? velocity, float learningRate, float momentum, float weightDecay, bool nesterov);
}
