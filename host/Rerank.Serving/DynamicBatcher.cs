using System.Collections.Concurrent;
using System.Diagnostics;
using Rerank.Abstractions;
using Rerank.Runtime.Pipelines;
using Rerank.Serving.Metrics;

namespace Rerank.Serving;

/// <summary>
/// One pipeline's dynamic batcher (after Triton's): requests queue; a worker takes the oldest and lets more join until
/// <see cref="BatchingSettings.MaxBatchSize"/> are waiting or <see cref="BatchingSettings.MaxQueueDelayMicroseconds"/> have
/// passed since the oldest arrived, then runs them as one <see cref="RerankBatch"/>. Several workers run batches
/// concurrently. A batch that fails is re-run request by request so one bad request cannot take its neighbours down.
/// </summary>
/// <remarks>
/// Workers are dedicated threads, not thread-pool threads: a batch runs synchronously for as long as its stages take, and
/// a slow (or stuck) stage must not hold the pool threads that read requests and fire the deadlines whose fallback
/// answers it should trigger. Enqueueing releases a semaphore the workers block on, so waking one needs no pool thread
/// either. Delays below about a millisecond (the wait's resolution) are approximated by yielding once to let queued
/// requests join.
/// </remarks>
internal sealed partial class DynamicBatcher
{
    private static readonly TimeSpan TimerResolution = TimeSpan.FromMilliseconds(1);
    private readonly ConcurrentQueue<PendingRerank> _queue = new();

    // One permit per queued request, plus one per worker when the batcher closes (to wake them up to exit).
    private readonly SemaphoreSlim _available = new(0);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CompiledPipeline _pipeline;
    private readonly FeatureSchema _schema;
    private readonly ulong _seed;
    private readonly ServingMetrics _metrics;
    private readonly int _workerCount;
    private readonly bool _ownStreams;
    private int _running;
    private volatile bool _closed;

    /// <summary>Starts <paramref name="workerCount"/> worker threads; with <paramref name="ownStreams"/> (the pipeline runs on the GPU) each queues its GPU work on its own CUDA stream (<see cref="Engine.Cuda.UseOwnStream"/>).</summary>
    public DynamicBatcher(CompiledPipeline pipeline, FeatureSchema schema, BatchingSettings settings, int workerCount, ulong seed, ServingMetrics metrics, bool ownStreams = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        _pipeline = pipeline;
        _schema = schema;
        _seed = seed;
        _metrics = metrics;
        _workerCount = workerCount;
        _ownStreams = ownStreams;
        Settings = settings;
        _running = workerCount;
        for (var w = 0; w < workerCount; w++)
        {
            new Thread(Work) { IsBackground = true, Name = $"rerank batcher {pipeline.Name} #{w}" }.Start();
        }
    }

    public BatchingSettings Settings { get; }

    /// <summary>Completes when the batcher has been closed and every worker has finished its last batch.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Queues a request; false once the batcher is closed.</summary>
    public bool TryEnqueue(PendingRerank pending)
    {
        if (_closed)
        {
            return false;
        }

        _queue.Enqueue(pending);
        _available.Release();
        if (_closed && Volatile.Read(ref _running) == 0)
        {
            // Closed while enqueueing and every worker has already left: nobody will run what is still queued.
            while (_queue.TryDequeue(out var orphan))
            {
                orphan.Complete(new BatchOutcome(null, "the pipeline is shutting down", 0, TimeSpan.Zero, TimeSpan.Zero, []));
            }
        }

        return true;
    }

    /// <summary>Stops accepting requests; queued ones are still run.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _available.Release(_workerCount);
    }

    private void Work()
    {
        var batch = new List<PendingRerank>(Settings.MaxBatchSize);
        var delay = TimeSpan.FromTicks(Settings.MaxQueueDelayMicroseconds * TimeSpan.TicksPerMicrosecond);
        using var stream = _ownStreams ? Engine.Cuda.UseOwnStream() : null;
        try
        {
            while (true)
            {
                _available.Wait();
                if (!_queue.TryDequeue(out var first))
                {
                    if (_closed)
                    {
                        // A close permit: pass one on in case "take more" below consumed another worker's, then exit.
                        _available.Release();
                        return;
                    }

                    continue;
                }

                batch.Add(first);
                Take(batch);
                if (batch.Count < Settings.MaxBatchSize && delay > TimeSpan.Zero)
                {
                    WaitForMore(batch, delay);
                }

                RunBatch(batch);
                batch.Clear();
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0)
            {
                _completion.TrySetResult();
            }
        }
    }

    /// <summary>Adds what is already queued, up to the batch size (each taken request consumes its permit).</summary>
    private void Take(List<PendingRerank> batch)
    {
        while (batch.Count < Settings.MaxBatchSize && _available.Wait(0))
        {
            if (_queue.TryDequeue(out var pending))
            {
                batch.Add(pending);
            }
            else
            {
                // A close permit: leave it for a worker to exit on.
                _available.Release();
                return;
            }
        }
    }

    /// <summary>Lets requests join until the batch is full or the oldest has waited <paramref name="delay"/>.</summary>
    private void WaitForMore(List<PendingRerank> batch, TimeSpan delay)
    {
        var until = batch[0].EnqueuedTimestamp + (long)(delay.TotalSeconds * Stopwatch.Frequency);
        while (batch.Count < Settings.MaxBatchSize && !_closed)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            if (remaining < TimerResolution)
            {
                Thread.Yield();
                Take(batch);
                return;
            }

            if (!_available.Wait(remaining))
            {
                return;
            }

            if (_queue.TryDequeue(out var pending))
            {
                batch.Add(pending);
                Take(batch);
            }
            else
            {
                _available.Release();
                return;
            }
        }
    }
}
