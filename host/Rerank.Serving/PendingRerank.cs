using System.Diagnostics;
using Rerank.Abstractions;

namespace Rerank.Serving;

/// <summary>How one queued request ended: its slate (or the fallback's reason) and what the batch it ran in looked like.</summary>
/// <param name="Slate">The pipeline's slate, or null when it failed or ran out of time.</param>
/// <param name="FallbackReason">Why there is no slate, or null.</param>
/// <param name="BatchSize">How many requests ran together.</param>
/// <param name="Queue">Time between arrival and the batch starting.</param>
/// <param name="Run">Wall time of the batch.</param>
/// <param name="StageTimes">Wall time of each stage for the batch.</param>
internal sealed record BatchOutcome(Slate? Slate, string? FallbackReason, int BatchSize, TimeSpan Queue, TimeSpan Run, TimeSpan[] StageTimes);

/// <summary>A request waiting in a pipeline's queue.</summary>
internal sealed class PendingRerank
{
    private readonly TaskCompletionSource<BatchOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingRerank(RerankRequest request, long deadlineTimestamp)
    {
        Request = request;
        DeadlineTimestamp = deadlineTimestamp;
        EnqueuedTimestamp = Stopwatch.GetTimestamp();
    }

    public RerankRequest Request { get; }

    /// <summary>The <see cref="Stopwatch"/> timestamp by which the request must be answered.</summary>
    public long DeadlineTimestamp { get; }

    public long EnqueuedTimestamp { get; }

    public Task<BatchOutcome> Outcome => _completion.Task;

    public bool Expired(long now) => now >= DeadlineTimestamp;

    public void Complete(BatchOutcome outcome) => _completion.TrySetResult(outcome);
}
