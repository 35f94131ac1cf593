using Rerank.Testing;
using Xunit;

namespace Rerank.Simulation.Tests.Datasets;

/// <summary>A fact that needs MovieLens-100K: skipped, with the reason, when the folder is absent.</summary>
internal sealed class MovieLensFactAttribute : FactAttribute
{
    public MovieLensFactAttribute()
    {
        if (!File.Exists(Path.Combine(Folder, "u.data")))
        {
            Skip = $"MovieLens-100K not found at '{Folder}' (set RERANK_MOVIELENS to a folder holding u.data, u.item, u.user, u.occupation)";
        }
    }

    /// <summary>$RERANK_MOVIELENS, or shared/data/ml-100k beside the checkout.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("RERANK_MOVIELENS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(RepoPaths.Shared, "data", "ml-100k");
}
