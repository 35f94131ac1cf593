namespace Rerank.Evaluation.Experiments;

/// <summary>Reports nothing.</summary>
public sealed class SilentReporter : IRunReporter
{
    /// <summary>The one instance.</summary>
    public static SilentReporter Instance { get; } = new();

    /// <inheritdoc />
    public T Track<T>(string description, double total, Func<IProgress<double>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return work(new Progress<double>());
    }

    /// <inheritdoc />
    public void Info(string message)
    {
    }
}
