namespace Rerank.Evaluation.Experiments;

/// <summary>Where long work reports progress: a terminal progress bar, periodic log lines, or nothing (tests).</summary>
public interface IRunReporter
{
    /// <summary>Runs <paramref name="work"/>, which reports its absolute progress (0 to <paramref name="total"/>).</summary>
    T Track<T>(string description, double total, Func<IProgress<double>, T> work);

    /// <summary>A one-line message.</summary>
    void Info(string message);
}
