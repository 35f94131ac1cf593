using Rerank.Engine.IO;
using Rerank.Engine.Nn;

namespace Rerank.Engine.Checkpoints;

/// <summary>
/// The one checkpoint contract of trainable components: a safetensors file of a module's parameters whose metadata
/// records who the weights belong to (<see cref="CheckpointIdentity"/>: plugin id and version, component,
/// hyper-parameters, feature schema) plus the format and engine versions and the component's non-tensor state.
/// <see cref="Save"/> writes it atomically (temp file + rename); <see cref="Load"/> checks all of it against the loading
/// component and every tensor's name, shape and dtype, and refuses with one error naming every mismatch, changing nothing.
/// </summary>
/// <remarks>
/// Policy: the plugin id, the component, each hyper-parameter and the schema must be equal. The plugin version must
/// have the same major version (for 0.x, the same major and minor), so a fix or a new option does not orphan trained
/// weights while a breaking release does. The engine version is recorded, not checked; a file of a newer format than
/// <see cref="FormatVersion"/> is refused. Files written before the contract (format 0) are read through their own
/// key sets (<see cref="CheckpointHeader.Read"/>) and checked the same way.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The format this engine writes, and the newest it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>This engine's version, <c>major.minor.patch</c>.</summary>
    public static string EngineVersion { get; } = typeof(Checkpoint).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Writes <paramref name="module"/>'s parameters with the metadata of <paramref name="identity"/> (and <paramref name="state"/>) atomically.</summary>
    /// <param name="module">The trained model.</param>
    /// <param name="path">The file; its folder is created when missing.</param>
    /// <param name="identity">Who the weights belong to.</param>
    /// <param name="state">Learned values that are not tensors (e.g. a mean price), stored as <c>state.&lt;name&gt;</c>.</param>
    public static void Save(Module module, string path, CheckpointIdentity identity, IReadOnlyDictionary<string, string>? state = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(identity);
        module.Save(path, CheckpointHeader.Write(identity, state));
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/> into <paramref name="module"/> after checking its metadata against
    /// <paramref name="expected"/> and its tensors against the module's parameters; returns its header (for its state).
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a safetensors file.</exception>
    /// <exception cref="CheckpointMismatchException">Anything disagrees: every mismatch is listed, and nothing is loaded.</exception>
    public static CheckpointHeader Load(Module module, string path, CheckpointIdentity expected)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(expected);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"checkpoint '{path}' of {expected.PluginId}/{expected.Component} does not exist", path);
        }

        var file = SafeTensors.Load(path);
        var header = CheckpointHeader.Read(file.Metadata);
        var problems = Mismatches(header, expected).ToList();
        var tensors = ModuleStateExtensions.Mismatches(module, file.Entries);
        if (problems.Count == 0)
        {
            problems.AddRange(tensors);
        }
        else if (tensors.Count > 0)
        {
            // The metadata already says why; the tensors that follow from it are counted, not listed.
            problems.Add($"and {tensors.Count} tensor(s) do not fit the model (first: {tensors[0]})");
        }

        if (problems.Count > 0)
        {
            throw new CheckpointMismatchException(path, problems);
        }

        ModuleStateExtensions.CopyInto(module, file.Entries);
        return header;
    }

    /// <summary>Reads only the header of the checkpoint at <paramref name="path"/>.</summary>
    public static CheckpointHeader ReadHeader(string path) => CheckpointHeader.Read(SafeTensors.Load(path).Metadata);

    /// <summary>Every difference between what a file records and what a component expects, one line each, naming the metadata key.</summary>
    public static IReadOnlyList<string> Mismatches(CheckpointHeader found, CheckpointIdentity expected)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(expected);
        var problems = new List<string>();
        if (found.FormatVersion > FormatVersion)
        {
            problems.Add($"{CheckpointMetadata.FormatVersion} {found.FormatVersion} is newer than this engine ({EngineVersion}) reads (up to {FormatVersion})");
        }

        Same(CheckpointMetadata.Plugin, found.PluginId, expected.PluginId, problems);
        if (found.PluginVersion is null)
        {
            problems.Add($"{CheckpointMetadata.PluginVersion} is not recorded (expected one compatible with {expected.PluginVersion})");
        }
        else if (!CheckpointChecks.CompatibleVersions(found.PluginVersion, expected.PluginVersion))
        {
            problems.Add($"{CheckpointMetadata.PluginVersion} {found.PluginVersion} is not compatible with this plugin's {expected.PluginVersion} (a checkpoint loads into the same major version)");
        }

        Same(CheckpointMetadata.Component, found.Component, expected.Component, problems);
        problems.AddRange(CheckpointChecks.HyperParameters(found, expected.HyperParameters));
        problems.AddRange(CheckpointChecks.Schema(found.Schema, expected.Schema));
        return problems;
    }

    private static void Same(string key, string? found, string expected, List<string> problems)
    {
        if (found is null)
        {
            problems.Add($"{key} is not recorded (expected '{expected}')");
        }
        else if (!string.Equals(found, expected, StringComparison.Ordinal))
        {
            problems.Add($"{key} is '{found}', expected '{expected}'");
        }
    }
}
