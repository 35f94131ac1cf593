namespace Rerank.Evaluation.Experiments;

/// <summary>Something every pipeline depends on failed at run time (e.g. a judge could not be trained): the run stops, exit code 1.</summary>
public sealed class ExperimentFailedException : Exception
{
    /// <summary>A failed run described by <paramref name="message"/>.</summary>
    public ExperimentFailedException(string message)
        : base(message)
    {
    }

    /// <summary>A failed run described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public ExperimentFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
