namespace Rerank.Abstractions;

/// <summary>A component refuses its input (e.g. the oracle on data without ground truth); the message names what and why.</summary>
public sealed class ComponentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ComponentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public ComponentException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ComponentException()
    {
    }
}
