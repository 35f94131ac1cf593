namespace Rerank.Simulation.Tests.Datasets;

/// <summary>A hand-made MovieLens-format folder: 2 users, 8 movies, for exact checks of the list construction.</summary>
internal sealed class TinyMovieLens : IDisposable
{
    public TinyMovieLens()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"tiny-ml-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        File.WriteAllLines(Path.Combine(Folder, "u.occupation"), ["student", "writer"]);
        File.WriteAllLines(Path.Combine(Folder, "u.user"), ["1|24|M|student|00000", "2|60|F|writer|00000"]);
        var genres = string.Join('|', Enumerable.Repeat("0", 18));
        File.WriteAllLines(Path.Combine(Folder, "u.item"), [.. Enumerable.Range(1, 8).Select(m => $"{m}|Movie {m}|01-Jan-1995||http://x|1|{genres}")]);

        // user 1 rates movies 1..5 at times 10..50 (ratings 5, 2, 4, 5, 1); user 2 rates 6, 7 at times 5, 6 (4, 3).
        File.WriteAllLines(Path.Combine(Folder, "u.data"),
        [
            "1\t3\t4\t30", "1\t1\t5\t10", "1\t2\t2\t20", "1\t4\t5\t40", "1\t5\t1\t50",
            "2\t6\t4\t5", "2\t7\t3\t6",
        ]);
    }

    public string Folder { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
