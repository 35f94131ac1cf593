namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>Binary cross-entropy on logits, mean over elements: max(x,0) − x·t + log(1 + e^{−|x|}); optional per-element weights.</summary>
    /// <exception cref="ArgumentException">Shapes differ.</exception>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Tensor? weights = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Shape != targets.Shape)
        {
            throw new ArgumentException($"BinaryCrossEntropyWithLogits: logits {logits.Shape} and targets {targets.Shape} differ.");
        }

        var y = Out(logits.Shape, logits);
        B(logits).BceWithLogits(logits, targets, y);
        if (Tensor.NeedsGrad(logits))
        {
            RecordBce(logits, targets, y);
        }

        return Mean(weights is null ? y : Mul(y, weights));
    }

    /// <summary>
    /// Cross-entropy over the last dim, mean over rows whose target is ≥ 0 (a negative target is ignored):
    /// −log softmax(logits)[target]. <paramref name="mask"/> (1 keep) restricts the softmax, e.g. to unpicked candidates.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlyMemory<int> targets, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var valid = 0;
        foreach (var t in targets.Span)
        {
            valid += t >= 0 ? 1 : 0;
        }

        var logp = LogSoftmax(logits, mask);
        var picked = PickLast(logp, targets);
        return Affine(Sum(picked), -1f / Math.Max(1, valid), 0f);
    }

    /// <summary>KL(p ‖ q) with q given as log-probabilities, summed over the last dim and averaged over rows (PyTorch 'batchmean').</summary>
    public static Tensor KlDivergence(Tensor logQ, Tensor p)
    {
        ArgumentNullException.ThrowIfNull(logQ);
        ArgumentNullException.ThrowIfNull(p);
        if (logQ.Shape != p.Shape)
        {
            throw new ArgumentException($"KlDivergence: logQ {logQ.Shape} and p {p.Shape} differ.");
        }

        var y = Out(logQ.Shape, logQ);
        B(logQ).KlDiv(logQ, p, y);
        if (Tensor.NeedsGrad(logQ))
        {
            RecordKl(logQ, p, y);
        }

        var rows = logQ.Count / Math.Max(1, logQ.Shape.Last);
        return Affine(Sum(y), 1f / Math.Max(1, rows), 0f);
    }

    /// <summary>Hinge loss, mean of max(0, margin − y·s) with labels y ∈ {−1, +1}.</summary>
    public static Tensor Hinge(Tensor scores, Tensor labels, float margin = 1f) =>
        Mean(Relu(Affine(Mul(labels, scores), -1f, margin)));

    /// <summary>Pairwise margin ranking loss, mean of max(0, margin − (pos − neg)).</summary>
    public static Tensor MarginRanking(Tensor positive, Tensor negative, float margin = 1f) =>
        Mean(Relu(Affine(Sub(positive, negative), -1f, margin)));

    /// <summary>Mean squared error.</summary>
    public static Tensor MeanSquaredError(Tensor prediction, Tensor target) => Mean(Square(Sub(prediction, target)));

    private static void RecordBce(Tensor logits, Tensor targets, Tensor y) =>
        Tensor.Record(y, "BceWithLogits", dy => B(dy).BceWithLogitsBackward(logits, targets, dy, Grad(logits)), logits);

    private static void RecordKl(Tensor logQ, Tensor p, Tensor y) =>
        Tensor.Record(y, "KlDiv", dy => B(dy).KlDivBackward(p, dy, Grad(logQ)), logQ);
}
