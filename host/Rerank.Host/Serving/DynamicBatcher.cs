using System.Diagnostics;
using System.Threading.Channels;
using Rerank.Abstractions;
using Rerank.Host.Pipelines;
using Rerank.Host.Serving.Metrics;

namespace Rerank.Host.Serving;

/// <summary>
/// One pipeline's dynamic batcher (after Triton's): requests queue; a worker takes the oldest and lets more join until
/// <see cref="BatchingSettings.MaxBatchSize"/> are waiting or <see cref="BatchingSettings.MaxQueueDelayMicroseconds"/> have
/// passed since the oldest arrived, then runs them as one <see cref="RerankBatch"/>. Several workers run batches
/// concurrently. A batch that fails is re-run request by request so one bad request cannot take its neighbours down.
/// </summary>
/// <remarks>
/// Delays below about a millisecond (the timer's resolution) are approximated by yielding once to let queued requests join.
/// </remarks>
internal sealed partial class DynamicBatcher
{
    private static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(1);
    private readonly Channel<PendingRerank> queue;
    private readonly CompiledPipeline pipeline;
    private readonly FeatureSchema schema;
    private readonly ulong seed;
    private readonly ServingMetrics metrics;
    private readonly Task[] workers;

    public DynamicBatcher(CompiledPipeline pipeline, FeatureSchema schema, BatchingSettings settings, int workerCount, ulong seed, ServingMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        this.pipeline = pipeline;
        this.schema = schema;
        this.seed = seed;
        this.metrics = metrics;
        Settings = settings;
        queue = Channel.CreateUnbounded<PendingRerank>(new UnboundedChannelOptions { SingleReader = workerCount == 1, SingleWriter = false });
        workers = new Task[workerCount];
        for (var w = 0; w < workerCount; w++)
        {
            workers[w] = Task.Run(WorkAsync);
        }
    }

    public BatchingSettings Settings { get; }

    /// <summary>Completes when the queue has been closed and every worker has finished its last batch.</summary>
    public Task Completion => Task.WhenAll(workers);

    /// <summary>Queues a request; false once the batcher is closed.</summary>
    public bool TryEnqueue(PendingRerank pending) => queue.Writer.TryWrite(pending);

    /// <summary>Stops accepting requests; queued ones are still run.</summary>
    public void Close() => queue.Writer.TryComplete();

    private async Task WorkAsync()
    {
        var reader = queue.Reader;
        var batch = new List<PendingRerank>(Settings.MaxBatchSize);
        var delay = TimeSpan.FromTicks(Settings.MaxQueueDelayMicroseconds * TimeSpan.TicksPerMicrosecond);
        var timeout = new CancellationTokenSource();
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                Take(reader, batch);
                if (batch.Count == 0)
                {
                    continue;
                }

                if (batch.Count < Settings.MaxBatchSize && delay > TimeSpan.Zero)
                {
                    timeout = await WaitForMoreAsync(reader, batch, delay, timeout).ConfigureAwait(false);
                }

                RunBatch(batch);
                batch.Clear();
            }
        }
        finally
        {
            timeout.Dispose();
        }
    }

    private void Take(ChannelReader<PendingRerank> reader, List<PendingRerank> batch)
    {
        while (batch.Count < Settings.MaxBatchSize && reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }
    }

    /// <summary>Lets requests join until the batch is full or the oldest has waited <paramref name="delay"/>.</summary>
    private async Task<CancellationTokenSource> WaitForMoreAsync(ChannelReader<PendingRerank> reader, List<PendingRerank> batch, TimeSpan delay, CancellationTokenSource timeout)
    {
        var until = batch[0].EnqueuedTimestamp + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        while (batch.Count < Settings.MaxBatchSize)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            if (remaining < TimerResolution)
            {
                await Task.Yield();
                Take(reader, batch);
                break;
            }

            if (!timeout.TryReset())
            {
                timeout.Dispose();
                timeout = new CancellationTokenSource();
            }

            timeout.CancelAfter(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Take(reader, batch);
        }

        return timeout;
    }
}
