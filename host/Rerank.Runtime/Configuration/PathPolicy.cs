namespace Rerank.Runtime.Configuration;

/// <summary>
/// The folders YAML may name files in (checkpoints, dataset paths, pipeline includes, schema files): the YAML file's
/// own folder, the working directory, and every folder the operator adds with <c>--allow-path DIR</c>
/// (<c>--allow-path /</c> allows anything). Paths are compared after <see cref="Path.GetFullPath(string)"/> and with a
/// trailing separator, so <c>/data/runsX</c> is not under <c>/data/runs</c>. Symbolic links are not resolved: a link
/// inside an allowed folder that points outside it is accepted (whoever can create it there can write the file too).
/// </summary>
public sealed class PathPolicy
{
    private static readonly StringComparison Comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>A policy with the working directory (default: the current one) and <paramref name="allowed"/> folders (relative ones against it).</summary>
    public PathPolicy(IEnumerable<string>? allowed = null, string? workingDirectory = null)
    {
        WorkingDirectory = Path.GetFullPath(workingDirectory ?? Environment.CurrentDirectory);
        Allowed = [.. (allowed ?? []).Select(a => Path.GetFullPath(a, WorkingDirectory))];
    }

    /// <summary>The default: the YAML file's folder and the current working directory, nothing else.</summary>
    public static PathPolicy Default => new();

    /// <summary>The working directory relative paths resolve against (absolute).</summary>
    public string WorkingDirectory { get; }

    /// <summary>Folders added with <c>--allow-path</c>, as full paths.</summary>
    public IReadOnlyList<string> Allowed { get; }

    /// <summary>The scope of one YAML file: relative paths resolve against <paramref name="yamlFolder"/>.</summary>
    /// <param name="yamlFolder">The YAML file's folder.</param>
    /// <param name="owner">How hints name that folder: "the pipeline's folder", "the experiment's folder", ….</param>
    public PathScope For(string yamlFolder, string owner) => new(this, Path.GetFullPath(yamlFolder), owner);

    /// <summary>Every allowed root for a YAML file in <paramref name="yamlFolder"/>: its folder, the working directory, the added ones.</summary>
    public IReadOnlyList<string> RootsFor(string yamlFolder) =>
        [.. new[] { Path.GetFullPath(yamlFolder), WorkingDirectory }.Concat(Allowed).Distinct(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal)];

    /// <summary>Whether the full path <paramref name="path"/> is <paramref name="root"/> or lies below it.</summary>
    public static bool IsUnder(string path, string root)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetFullPath(root);
        var withSeparator = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return full.StartsWith(withSeparator, Comparison) || string.Equals(full, Path.TrimEndingDirectorySeparator(folder), Comparison);
    }

    /// <summary>A root as messages show it: relative to the working directory when below it (<c>./</c> for itself), else absolute; always with a trailing slash.</summary>
    public string Display(string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var shown = IsUnder(full, WorkingDirectory) ? Path.GetRelativePath(WorkingDirectory, full) : full;
        return shown == "." ? "./" : Path.EndsInDirectorySeparator(shown) ? shown : shown + "/";
    }
}
