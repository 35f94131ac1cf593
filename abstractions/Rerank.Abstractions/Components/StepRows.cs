namespace Rerank.Abstractions;

/// <summary>
/// The rows a decoder asks an <see cref="IStepScorer"/> about at one step: each row is one partial slate
/// (a prefix of <see cref="Step"/> candidate indices) of one request of the batch.
/// </summary>
public sealed class StepRows
{
    /// <summary>Creates the rows of one step.</summary>
    /// <param name="step">Prefix length t (the position being filled, from 0).</param>
    /// <param name="request">Request index (into the batch) of each row.</param>
    /// <param name="parent">Row index at the previous step that each row extends (-1 at step 0), so scorers with per-row state (KV caches) can reorder it.</param>
    /// <param name="prefixes">Row-major <c>[rows, step]</c> candidate indices.</param>
    public StepRows(int step, int[] request, int[] parent, int[] prefixes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(prefixes);
        if (parent.Length != request.Length || prefixes.Length != request.Length * step)
        {
            throw new ArgumentException($"Step rows disagree: {request.Length} requests, {parent.Length} parents, {prefixes.Length} prefix entries for step {step}.");
        }

        Step = step;
        Request = request;
        Parent = parent;
        Prefixes = prefixes;
    }

    /// <summary>Prefix length t.</summary>
    public int Step { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Request.Length;

    /// <summary>Request index of each row.</summary>
    public int[] Request { get; }

    /// <summary>Row index at the previous step that each row extends (-1 at step 0).</summary>
    public int[] Parent { get; }

    /// <summary>Row-major prefixes, <c>[rows, step]</c>.</summary>
    public int[] Prefixes { get; }

    /// <summary>The prefix of one row.</summary>
    public ReadOnlySpan<int> Prefix(int row) => Prefixes.AsSpan(row * Step, Step);
}
