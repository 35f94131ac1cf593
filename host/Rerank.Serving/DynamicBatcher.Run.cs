using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Runtime.Pipelines;

namespace Rerank.Serving;

internal sealed partial class DynamicBatcher
{
    /// <summary>The fallback reason for a request whose deadline passed before or while its batch ran.</summary>
    public const string DeadlineReason = "deadline exceeded";

    private void RunBatch(List<PendingRerank> batch)
    {
        var start = Stopwatch.GetTimestamp();
        var live = new List<PendingRerank>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Expired(start))
            {
                pending.Complete(new BatchOutcome(null, DeadlineReason + " while queued", 0, Stopwatch.GetElapsedTime(pending.EnqueuedTimestamp, start), TimeSpan.Zero, []));
            }
            else
            {
                live.Add(pending);
            }
        }

        if (live.Count == 0)
        {
            return;
        }

        _metrics.ObserveBatch(_pipeline.Name, live.Count);
        if (TryRun(live, start, out var failure))
        {
            return;
        }

        if (live.Count == 1)
        {
            Fail(live, start, failure!);
            return;
        }

        // Isolate the failure: each request alone, so only those that fail fall back.
        foreach (var pending in live)
        {
            List<PendingRerank> single = [pending];
            var again = Stopwatch.GetTimestamp();
            if (!TryRun(single, again, out var own))
            {
                Fail(single, again, own!);
            }
        }
    }

    /// <summary>Runs requests as one batch and completes them; on a pipeline failure, completes nothing and returns the reason.</summary>
    private bool TryRun(List<PendingRerank> live, long start, out string? failure)
    {
        failure = null;
        var latest = live.Max(p => p.DeadlineTimestamp);
        var budget = Stopwatch.GetElapsedTime(start, latest);
        if (budget <= TimeSpan.Zero)
        {
            Fail(live, start, DeadlineReason);
            return true;
        }

        using var deadline = new CancellationTokenSource(budget);
        var requests = new RerankRequest[live.Count];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = live[i].Request;
        }

        PipelineRun run;
        try
        {
            run = _pipeline.Run(RerankBatch.Create(_schema, requests), new RerankContext(_seed, deadline.Token));
        }
        catch (OperationCanceledException)
        {
            Fail(live, start, DeadlineReason);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = Describe(e);
            return false;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < live.Count; i++)
        {
            var p = live[i];
            var late = p.Expired(now);
            p.Complete(new BatchOutcome(late ? null : run.Slates[i], late ? DeadlineReason : null, live.Count, Stopwatch.GetElapsedTime(p.EnqueuedTimestamp, start), elapsed, run.StageTimes));
        }

        return true;
    }

    private static void Fail(List<PendingRerank> live, long start, string reason)
    {
        var elapsed = Stopwatch.GetElapsedTime(start);
        foreach (var p in live)
        {
            p.Complete(new BatchOutcome(null, reason, live.Count, Stopwatch.GetElapsedTime(p.EnqueuedTimestamp, start), elapsed, []));
        }
    }

    private static string Describe(Exception e)
    {
        var message = e is PipelineException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        return message.Replace('\n', ' ');
    }
}
