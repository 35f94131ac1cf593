using NuGet.Versioning;
using Rerank.Abstractions;

namespace Rerank.Runtime.Plugins;

/// <summary>A reference to a component from YAML: <c>plugin[@range]/name</c>, or just <c>name</c> when it is unambiguous.</summary>
/// <param name="PluginId">The plugin id, or null for "any plugin".</param>
/// <param name="Range">The accepted versions, or null for any.</param>
/// <param name="RangeText">The range as written.</param>
/// <param name="Name">The component name.</param>
internal sealed record ComponentReference(string? PluginId, VersionRange? Range, string? RangeText, string Name)
{
    public static ComponentReference? Parse(string text, SourceLocation at, ICollection<ConfigError> errors)
    {
        text = text.Trim();
        var slash = text.LastIndexOf('/');
        var name = slash < 0 ? text : text[(slash + 1)..];
        if (name.Length == 0)
        {
            errors.Add(new ConfigError(at, $"component reference '{text}' names no component; write plugin@range/name, e.g. baselines@^1.0/beam"));
            return null;
        }

        if (slash < 0)
        {
            return new ComponentReference(null, null, null, name);
        }

        var plugin = text[..slash];
        var atSign = plugin.IndexOf('@', StringComparison.Ordinal);
        if (atSign < 0)
        {
            return new ComponentReference(plugin, null, null, name);
        }

        var rangeText = plugin[(atSign + 1)..];
        if (!VersionRanges.TryParse(rangeText, out var range))
        {
            errors.Add(new ConfigError(at, $"'{rangeText}' in '{text}' is not a version range; use ^1.0, ~1.2, 1.2.3, >=1.0 or [1.0,2.0)"));
            return null;
        }

        return new ComponentReference(plugin[..atSign], range, rangeText, name);
    }

    public override string ToString() =>
        PluginId is null ? Name : RangeText is null ? $"{PluginId}/{Name}" : $"{PluginId}@{RangeText}/{Name}";
}
