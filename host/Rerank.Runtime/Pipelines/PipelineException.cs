namespace Rerank.Runtime.Pipelines;

/// <summary>A stage failed or broke the slate contract at run time; the message names the pipeline, stage, component and request.</summary>
public sealed class PipelineException : Exception
{
    /// <summary>A pipeline failure described by <paramref name="message"/>.</summary>
    public PipelineException(string message)
        : base(message)
    {
    }

    /// <summary>A pipeline failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public PipelineException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
