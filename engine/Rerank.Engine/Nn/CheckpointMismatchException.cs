namespace Rerank.Engine.Nn;

/// <summary>A checkpoint or state dict that does not fit a module; <see cref="Mismatches"/> names every problem.</summary>
public sealed class CheckpointMismatchException : Exception
{
    /// <summary>Creates the exception from the source (file or "state dict") and its problems.</summary>
    public CheckpointMismatchException(string source, IReadOnlyList<string> mismatches)
        : base($"Checkpoint '{source}' does not match the model ({mismatches?.Count} problem(s)): {string.Join("; ", mismatches ?? [])}")
    {
        Source = source;
        Mismatches = mismatches ?? [];
    }

    /// <summary>Creates an exception with a message only.</summary>
    public CheckpointMismatchException()
        : this("(unknown)", [])
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public CheckpointMismatchException(string message)
        : base(message)
    {
        Mismatches = [];
    }

    /// <summary>Creates an exception with a message and cause.</summary>
    public CheckpointMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Mismatches = [];
    }

    /// <summary>One line per problem, each starting with the parameter name.</summary>
    public IReadOnlyList<string> Mismatches { get; }
}
