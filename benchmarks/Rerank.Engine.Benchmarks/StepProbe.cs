using Rerank.Benchmarks;

namespace Rerank.Engine.Benchmarks;

/// <summary>The encoder rows of <c>rerank bench engine</c> only (no SGEMM sweep), for a quick comparison of two builds.</summary>
internal static class StepProbe
{
    public static void Run(double seconds)
    {
        var o = new EngineBenchmarkOptions(GemmSizes: [], MinSecondsPerCase: seconds);
        foreach (var row in EngineBenchmark.Run(o))
        {
            if (row.Case.Contains("B=", StringComparison.Ordinal) || row.Case.Contains("ratio", StringComparison.Ordinal) || row.Case.Contains('/'))
            {
                Console.WriteLine($"{row.Case,-50} {row.Value,9:F2} {row.Unit}");
            }
        }
    }
}
