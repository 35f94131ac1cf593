namespace Rerank.Engine.Backends;

/// <summary>
/// The parameters of one pre-norm Transformer encoder layer (norm → self-attention → residual, norm → FFN → residual),
/// as the fused inference kernel reads them. Weights are [out, in] (PyTorch layout); biases and norm parameters may be null.
/// </summary>
internal readonly record struct EncoderLayerWeights(
    Tensor? Norm1Gamma,
    Tensor? Norm1Beta,
    float Norm1Epsilon,
    Tensor Query,
    Tensor? QueryBias,
    Tensor Key,
    Tensor? KeyBias,
    Tensor Value,
    Tensor? ValueBias,
    Tensor Output,
    Tensor? OutputBias,
    int Heads,
    Tensor? Norm2Gamma,
    Tensor? Norm2Beta,
    float Norm2Epsilon,
    Tensor Up,
    Tensor? UpBias,
    UnaryOp Activation,
    Tensor Down,
    Tensor? DownBias);
