namespace Rerank.Host.Pipelines;

/// <summary>A stage failed or broke the slate contract at run time; the message names the pipeline, stage, component and request.</summary>
internal sealed class PipelineException : Exception
{
    public PipelineException(string message)
        : base(message)
    {
    }

    public PipelineException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
