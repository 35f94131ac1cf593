namespace Rerank.Testing;

/// <summary>Finds the repository root and the shared folder beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The golden vectors shipped with the tests (<c>tests/fixtures/testdata</c>).</summary>
    public static string TestData => Path.Combine(Root, "tests", "fixtures", "testdata");

    /// <summary>The <c>shared/</c> folder beside the checkout (may not exist; only data that may not be redistributed is read from it).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Framework.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Framework.sln not found above " + AppContext.BaseDirectory);
    }
}
