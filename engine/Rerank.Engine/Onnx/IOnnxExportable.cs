using System.Globalization;
using System.Text;
using Rerank.Engine.Checkpoints;

namespace Rerank.Engine.Onnx;

/// <summary>A trained component that can write itself as an ONNX model the <c>onnx</c> plugin serves.</summary>
public interface IOnnxExportable
{
    /// <summary>Whether this component, as configured, has an ONNX export (false: <see cref="ExportOnnx"/> throws, saying why).</summary>
    bool CanExportOnnx { get; }

    /// <summary>The component's model as an ONNX graph, with how the <c>onnx</c> plugin feeds and reads it.</summary>
    /// <exception cref="InvalidOperationException">The component is not trained, or its model cannot be expressed for the <c>onnx</c> plugin.</exception>
    OnnxExport ExportOnnx(OnnxExportSettings settings);
}

/// <summary>What an export is asked for.</summary>
/// <param name="Kind">The <c>onnx</c> plugin component that will serve the file: scorer, evaluator or generator.</param>
/// <param name="Metadata">Extra model metadata (e.g. the experiment and pipeline), added to the exporter's own.</param>
public sealed record OnnxExportSettings(string Kind = "scorer", IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>An exported model: the graph, each model input's <c>onnx</c>-plugin source, the output and what it means, and the metadata written into the file.</summary>
public sealed class OnnxExport
{
    /// <summary>Wraps <paramref name="graph"/>.</summary>
    /// <param name="graph">The written graph.</param>
    /// <param name="inputs">Model input name → the <c>onnx</c> plugin's source (snake_case, e.g. <c>candidate_mask</c>), in input order.</param>
    /// <param name="output">The model output to read.</param>
    /// <param name="outputKind">What the output means (scorers: <c>item_scores</c> or <c>position_log_probs</c>; empty for other kinds).</param>
    /// <param name="metadata">Model metadata (plugin, version, component, schema, engine version, …).</param>
    public OnnxExport(OnnxGraph graph, IReadOnlyList<KeyValuePair<string, string>> inputs, string output, string outputKind, IReadOnlyDictionary<string, string> metadata)
    {
        Graph = graph;
        Inputs = inputs;
        Output = output;
        OutputKind = outputKind;
        Metadata = metadata;
    }

    /// <summary>The graph.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>Model input name → <c>onnx</c> plugin source.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Inputs { get; }

    /// <summary>The output to read.</summary>
    public string Output { get; }

    /// <summary>What the output means.</summary>
    public string OutputKind { get; }

    /// <summary>The model metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The engine's version, as written into exports.</summary>
    public static string EngineVersion { get; } =
        typeof(OnnxExport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// The metadata of an export: <c>rerank.plugin</c>, <c>rerank.plugin_version</c>, <c>rerank.component</c>,
    /// <c>rerank.options</c> and <c>rerank.schema</c> from <paramref name="identity"/> (whose weights these are, as their
    /// checkpoint says), <c>rerank.kind</c> and <c>rerank.engine_version</c>; then the model's own keys
    /// (<paramref name="model"/>, e.g. <c>rerank.max_candidates</c>); then <paramref name="settings"/>' metadata, which wins.
    /// </summary>
    public static Dictionary<string, string> MetadataFor(CheckpointIdentity identity, string kind, OnnxExportSettings settings, IEnumerable<KeyValuePair<string, string>>? model = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(settings);
        var metadata = new Dictionary<string, string>
        {
            ["rerank.plugin"] = identity.PluginId,
            ["rerank.plugin_version"] = identity.PluginVersion,
            ["rerank.component"] = identity.Component,
            ["rerank.kind"] = kind,
            ["rerank.options"] = identity.HyperParameters.Json,
            ["rerank.schema"] = identity.Schema,
            ["rerank.engine_version"] = EngineVersion,
        };
        foreach (var (key, value) in (model ?? []).Concat(settings.Metadata ?? new Dictionary<string, string>()))
        {
            metadata[key] = value;
        }

        return metadata;
    }

    /// <summary>The ONNX model bytes.</summary>
    public byte[] ToBytes() => Graph.ToBytes(Metadata, EngineVersion);

    /// <summary>Writes the model to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    /// <summary>The pipeline component block (YAML) that serves the file at <paramref name="modelPath"/> with <c>onnx@^1.0/&lt;kind&gt;</c>.</summary>
    public string ServingYaml(string kind, string modelPath)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"use: onnx@^1.0/{kind}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"checkpoint: {Quote(modelPath)}\n");
        yaml.Append("params:\n");
        foreach (var line in ParamsYaml().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            yaml.Append("  ").Append(line).Append('\n');
        }

        return yaml.ToString();
    }

    /// <summary>
    /// The <c>onnx</c> component's params for this model: the input mapping, then <c>output</c> and <c>output_kind</c> —
    /// the export's own unless <paramref name="output"/> (another model output) and <paramref name="outputKind"/> are given.
    /// </summary>
    public string ParamsYaml(string? output = null, string? outputKind = null)
    {
        var yaml = new StringBuilder("inputs:\n");
        foreach (var (name, source) in Inputs)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{ name: {name}, from: {source} }}\n");
        }

        yaml.Append(CultureInfo.InvariantCulture, $"output: {output ?? Output}\n");
        var kind = output is null ? OutputKind : outputKind ?? "";
        if (kind.Length > 0)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"output_kind: {kind}\n");
        }

        return yaml.ToString();
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
