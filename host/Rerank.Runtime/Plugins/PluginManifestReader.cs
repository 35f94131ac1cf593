using System.Text.RegularExpressions;
using NuGet.Versioning;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Rerank.Runtime.Plugins;

/// <summary>Reads and validates a <c>plugin.yaml</c>; reports every problem with its line, not just the first.</summary>
internal static partial class PluginManifestReader
{
    /// <summary>Reads the manifest in <paramref name="folder"/>; throws <see cref="PluginLoadException"/> listing every problem.</summary>
    public static PluginManifest Read(string folder)
    {
        var path = Path.Combine(folder, PluginManifest.FileName);
        if (!File.Exists(path))
        {
            throw new PluginLoadException($"no {PluginManifest.FileName} in the folder");
        }

        var errors = new List<ConfigError>();
        var root = YamlReader.Load(path, PluginManifest.FileName, errors);
        if (errors.Count > 0)
        {
            var error = errors[0];
            throw new PluginLoadException(error.Message.StartsWith("expected a YAML mapping", StringComparison.Ordinal)
                ? $"{PluginManifest.FileName} must be one mapping with keys {string.Join(", ", PluginManifest.Keys)}"
                : $"{error.Location}: invalid YAML: {PluginLoadException.OneLine(error.Message)}");
        }

        return Validate(root!);
    }

    private static PluginManifest Validate(YamlMappingNode root)
    {
        var errors = new List<string>();
        var values = new Dictionary<string, (string Value, Mark At)>(StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var at = $"{PluginManifest.FileName}:{keyNode.Start.Line}";

            // Duplicate keys never get here: the YAML guard refuses them, with their line and column.
            if (!PluginManifest.Keys.Contains(key))
            {
                errors.Add($"{at}: unknown key '{key}' (allowed: {string.Join(", ", PluginManifest.Keys)})");
                continue;
            }

            present.Add(key);
            if (valueNode is YamlScalarNode { Value: { Length: > 0 } value })
            {
                values[key] = (value.Trim(), keyNode.Start);
            }
            else
            {
                errors.Add($"{at}: '{key}' must be a non-empty scalar");
            }
        }

        string? Get(string key)
        {
            if (values.TryGetValue(key, out var v))
            {
                return v.Value;
            }

            if (!present.Contains(key))
            {
                errors.Add($"{PluginManifest.FileName}: missing '{key}'");
            }

            return null;
        }

        string Where(string key) => $"{PluginManifest.FileName}:{values[key].At.Line}";

        var id = Get("id");
        if (id is not null && !IdPattern().IsMatch(id))
        {
            errors.Add($"{Where("id")}: id '{id}' must be lower-case letters, digits, '.', '-' or '_', starting with a letter or digit");
        }

        var versionText = Get("version");
        NuGetVersion? version = null;
        if (versionText is not null && !NuGetVersion.TryParseStrict(versionText, out version))
        {
            errors.Add($"{Where("version")}: version '{versionText}' is not a SemVer version such as 1.2.0");
        }

        var rangeText = Get("abstractions");
        VersionRange? range = null;
        if (rangeText is not null && !VersionRanges.TryParse(rangeText, out range))
        {
            errors.Add($"{Where("abstractions")}: abstractions '{rangeText}' is not a version range; write e.g. \"^1.0.0\"");
        }

        var assembly = Get("assembly");
        if (assembly is not null && (assembly != Path.GetFileName(assembly) || !assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"{Where("assembly")}: assembly '{assembly}' must be a .dll file name in the plugin folder, without a path");
        }

        return errors.Count > 0
            ? throw new PluginLoadException("invalid manifest: " + string.Join("; ", errors))
            : new PluginManifest(id!, version!, range!, rangeText!, assembly!);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
