using System.Globalization;

namespace Rerank.Engine.Checkpoints;

/// <summary>
/// What a checkpoint file says about itself, read from its metadata: format 1 (<see cref="CheckpointMetadata"/>), or
/// format 0, the four key sets the plugins wrote before the contract, mapped onto the same fields (<c>version</c> and
/// <c>id@version</c> for the plugin version, <c>params</c> for the hyper-parameters, SORT-Gen's <c>model</c> as the
/// component, a <c>nar4rec/</c>-style prefix dropped from the component, any other key kept as state).
/// </summary>
public sealed record CheckpointHeader
{
    private static readonly HashSet<string> LegacyKeys = new(StringComparer.Ordinal)
    {
        "plugin", "plugin_version", "version", "component", "model", "hyper_parameters", "params", "schema",
    };

    /// <summary>The checkpoint format: 1, or 0 for files written before the contract.</summary>
    public int FormatVersion { get; init; }

    /// <summary>The engine version that wrote it (null before format 1).</summary>
    public string? EngineVersion { get; init; }

    /// <summary>The plugin id, when recorded.</summary>
    public string? PluginId { get; init; }

    /// <summary>The plugin version, when recorded.</summary>
    public string? PluginVersion { get; init; }

    /// <summary>The component (or shared model) name, when recorded.</summary>
    public string? Component { get; init; }

    /// <summary>The recorded hyper-parameters: a JSON object (format 0 also <c>key=value, …</c> pairs), when recorded.</summary>
    public string? HyperParameters { get; init; }

    /// <summary>The recorded feature schema, when recorded.</summary>
    public string? Schema { get; init; }

    /// <summary>The component's own learned values that are not tensors (e.g. <c>mean_price</c>), by name without prefix.</summary>
    public IReadOnlyDictionary<string, string> State { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Reads a header from a safetensors <c>__metadata__</c> map.</summary>
    /// <exception cref="InvalidDataException"><c>format_version</c> is not a non-negative integer.</exception>
    public static CheckpointHeader Read(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(CheckpointMetadata.FormatVersion, out var format))
        {
            return ReadLegacy(metadata);
        }

        if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidDataException($"checkpoint metadata '{CheckpointMetadata.FormatVersion}' is '{format}', not a format number");
        }

        return new CheckpointHeader
        {
            FormatVersion = version,
            EngineVersion = metadata.GetValueOrDefault(CheckpointMetadata.EngineVersion),
            PluginId = metadata.GetValueOrDefault(CheckpointMetadata.Plugin),
            PluginVersion = metadata.GetValueOrDefault(CheckpointMetadata.PluginVersion),
            Component = metadata.GetValueOrDefault(CheckpointMetadata.Component),
            HyperParameters = metadata.GetValueOrDefault(CheckpointMetadata.HyperParameters),
            Schema = metadata.GetValueOrDefault(CheckpointMetadata.Schema),
            State = metadata.Where(kv => kv.Key.StartsWith(CheckpointMetadata.StatePrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[CheckpointMetadata.StatePrefix.Length..], kv => kv.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>The metadata map of a format-1 file written for <paramref name="identity"/> with <paramref name="state"/>.</summary>
    internal static Dictionary<string, string> Write(CheckpointIdentity identity, IReadOnlyDictionary<string, string>? state)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [CheckpointMetadata.FormatVersion] = Checkpoint.FormatVersion.ToString(CultureInfo.InvariantCulture),
            [CheckpointMetadata.EngineVersion] = Checkpoint.EngineVersion,
            [CheckpointMetadata.Plugin] = identity.PluginId,
            [CheckpointMetadata.PluginVersion] = identity.PluginVersion,
            [CheckpointMetadata.Component] = identity.Component,
            [CheckpointMetadata.HyperParameters] = identity.HyperParameters.Json,
            [CheckpointMetadata.Schema] = identity.Schema,
        };
        foreach (var (key, value) in state ?? new Dictionary<string, string>())
        {
            metadata.Add(CheckpointMetadata.StatePrefix + key, value);
        }

        return metadata;
    }

    private static CheckpointHeader ReadLegacy(IReadOnlyDictionary<string, string> metadata)
    {
        var plugin = metadata.GetValueOrDefault("plugin");
        string? versionInId = null;
        if (plugin?.IndexOf('@', StringComparison.Ordinal) is { } at and >= 0)
        {
            versionInId = plugin[(at + 1)..];
            plugin = plugin[..at];
        }

        var component = metadata.GetValueOrDefault("model") ?? metadata.GetValueOrDefault("component");
        if (plugin is not null && component?.StartsWith(plugin + "/", StringComparison.Ordinal) == true)
        {
            component = component[(plugin.Length + 1)..];
        }

        return new CheckpointHeader
        {
            FormatVersion = 0,
            PluginId = plugin,
            PluginVersion = metadata.GetValueOrDefault("plugin_version") ?? metadata.GetValueOrDefault("version") ?? versionInId,
            Component = component,
            HyperParameters = metadata.GetValueOrDefault("hyper_parameters") ?? metadata.GetValueOrDefault("params"),
            Schema = metadata.GetValueOrDefault("schema"),
            State = metadata.Where(kv => !LegacyKeys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        };
    }
}
