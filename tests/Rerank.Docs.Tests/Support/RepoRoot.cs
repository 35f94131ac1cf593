namespace Rerank.Docs.Tests.Support;

/// <summary>The repository root: the first folder above the test's binaries that holds <c>Framework.sln</c>.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Framework.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Framework.sln not found above " + AppContext.BaseDirectory);
    }
}
