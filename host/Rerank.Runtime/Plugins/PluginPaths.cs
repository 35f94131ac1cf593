namespace Rerank.Runtime.Plugins;

/// <summary>Where the host looks for plugins when no folder is passed explicitly.</summary>
public static class PluginPaths
{
    /// <summary>The environment variable that names the plugins folder.</summary>
    public const string EnvironmentVariable = "RERANK_PLUGINS";

    /// <summary>The folder, relative to an ancestor directory, that <c>dotnet build</c> lays plugins out in.</summary>
    public static readonly string ArtifactsPlugins = Path.Combine("artifacts", "plugins");

    /// <summary>
    /// <see cref="EnvironmentVariable"/> when set; else the first <c>artifacts/plugins</c> found walking up from the
    /// current directory, then from <see cref="AppContext.BaseDirectory"/>; else null.
    /// </summary>
    public static string? Default() =>
        Default(Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.CurrentDirectory, AppContext.BaseDirectory);

    /// <summary><see cref="Default()"/> with its inputs passed in (for tests).</summary>
    public static string? Default(string? environmentValue, string currentDirectory, string baseDirectory)
    {
        if (!string.IsNullOrWhiteSpace(environmentValue))
        {
            return Path.GetFullPath(environmentValue.Trim(), currentDirectory);
        }

        return FindAbove(currentDirectory) ?? FindAbove(baseDirectory);
    }

    /// <summary>
    /// The folder to load: <paramref name="explicitFolder"/> (relative to the current directory) when given, else
    /// <see cref="Default()"/>; throws <see cref="DirectoryNotFoundException"/> saying where it looked when neither yields one.
    /// </summary>
    public static string Resolve(string? explicitFolder)
    {
        if (!string.IsNullOrWhiteSpace(explicitFolder))
        {
            return Path.GetFullPath(explicitFolder);
        }

        return Default() ?? throw new DirectoryNotFoundException(
            $"No plugins folder: {EnvironmentVariable} is not set and no {ArtifactsPlugins} was found above '{Environment.CurrentDirectory}' or '{AppContext.BaseDirectory}'; build the plugins or pass a folder.");
    }

    private static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ArtifactsPlugins);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
