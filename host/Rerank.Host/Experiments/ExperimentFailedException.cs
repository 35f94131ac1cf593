namespace Rerank.Host.Experiments;

/// <summary>Something every pipeline depends on failed at run time (e.g. a judge could not be trained): the run stops, exit code 1.</summary>
internal sealed class ExperimentFailedException : Exception
{
    public ExperimentFailedException(string message)
        : base(message)
    {
    }

    public ExperimentFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
