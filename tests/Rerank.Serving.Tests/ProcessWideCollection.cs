namespace Rerank.Serving.Tests;

/// <summary>
/// Tests that measure the whole test process (managed memory, thread-pool state) and so must not share it with other
/// tests running in parallel: xunit runs this collection on its own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "process-wide measurements";
}
