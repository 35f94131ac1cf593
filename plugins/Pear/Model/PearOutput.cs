using Rerank.Engine;

namespace Rerank.Plugins.Pear;

/// <summary>PEAR's two heads for one batch.</summary>
/// <param name="ItemLogits">Click logits of the candidates, <c>[B, N]</c> (eq. 4 before the sigmoid).</param>
/// <param name="ListLogits">Logit that the list holds a positive, from the CLS token, <c>[B]</c> (eq. 5 before the sigmoid).</param>
internal sealed record PearOutput(Tensor ItemLogits, Tensor ListLogits);
