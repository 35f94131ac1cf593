namespace Rerank.Engine.Training;

/// <summary>A training loss stopped being finite; the message names the model, the epoch and the step.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception without a message.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public TrainingDivergedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
