using Rerank.Runtime.Pipelines;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// How <c>rerank run</c> tells a failure of one pipeline (or of one component's training) from the end of the run: every
/// exception is a failure of what was running, except cancellation (Ctrl-C stops the run) and running out of memory.
/// </summary>
internal static class RunFailure
{
    /// <summary>Whether <paramref name="e"/> fails only what threw it (false: it stops the run).</summary>
    public static bool IsFailure(Exception e, CancellationToken cancellation) =>
        e is not OutOfMemoryException && !(e is OperationCanceledException && cancellation.IsCancellationRequested);

    /// <summary>One line: the message of a <see cref="PipelineException"/> (it names the stage and the exception), else <c>Type: message</c>.</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var text = e is PipelineException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        return text.ReplaceLineEndings(" ");
    }
}
