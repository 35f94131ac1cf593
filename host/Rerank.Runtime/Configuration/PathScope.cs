using Rerank.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Rerank.Runtime.Configuration;

/// <summary>The paths one YAML file may name: relative ones resolve against <see cref="Folder"/>; every one must lie under an allowed root.</summary>
/// <param name="Policy">The allowed roots.</param>
/// <param name="Folder">The YAML file's folder (full path).</param>
/// <param name="Owner">How hints name that folder ("the pipeline's folder").</param>
public sealed record PathScope(PathPolicy Policy, string Folder, string Owner)
{
    /// <summary>
    /// The full path <paramref name="value"/> (the YAML value of <paramref name="key"/>) names, or null with an error at
    /// <paramref name="node"/> when it lies outside every allowed root. Nothing is read: the check is on the path alone.
    /// </summary>
    public string? Resolve(YamlReader y, YamlNode node, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(value);
        string full;
        try
        {
            full = Path.GetFullPath(value, Folder);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            y.Errors.Add(new ConfigError(y.At(node), $"{key} '{value}' is not a valid path"));
            return null;
        }

        var roots = Policy.RootsFor(Folder);
        if (roots.Any(root => PathPolicy.IsUnder(full, root)))
        {
            return full;
        }

        y.Errors.Add(new ConfigError(y.At(node), OutsideMessage(key, value, roots)));
        return null;
    }

    /// <summary><c>{key} '{value}' resolves outside the allowed folders (…); keep it under {owner} or allow its folder with --allow-path</c>.</summary>
    public string OutsideMessage(string key, string value, IReadOnlyList<string> roots) =>
        $"{key} '{value}' resolves outside the allowed folders ({string.Join(", ", roots.Select(Policy.Display))}); keep it under {Owner} or allow its folder with --allow-path";
}
