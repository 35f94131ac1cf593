using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using YamlDotNet.RepresentationModel;

namespace Rerank.Serving;

/// <summary>
/// Finds the experiments that train what a pipeline is missing, by reading the experiment files in the
/// <c>experiments/</c> folder beside the pipelines folder and under the working directory: one whose component has a
/// <c>checkpoint:</c> resolving to a given file (<c>rerank run</c> saves a trained component there when the file is
/// absent), and those that include a pipeline file (<c>file:</c>) and so save its trained components under their output
/// folder's <c>checkpoints/</c>.
/// </summary>
internal sealed class CheckpointOrigins
{
    private readonly Lazy<Scan> _scan;

    public CheckpointOrigins(string pipelinesFolder)
    {
        _scan = new Lazy<Scan>(() => Read(pipelinesFolder));
    }

    /// <summary>The experiment file (relative to the working directory when below it) that writes <paramref name="checkpoint"/>, or null.</summary>
    public string? TrainedBy(string checkpoint) =>
        _scan.Value.Checkpoints.TryGetValue(Path.GetFullPath(checkpoint), out var experiment) ? experiment : null;

    /// <summary>The experiments that include <paramref name="pipelineFile"/>: their file and default output folder (<c>out/&lt;name&gt;</c>, full path).</summary>
    public IReadOnlyList<(string Experiment, string OutputFolder)> Including(string pipelineFile) =>
        _scan.Value.Includes.TryGetValue(Path.GetFullPath(pipelineFile), out var list) ? list : [];

    private static Scan Read(string pipelinesFolder)
    {
        var result = new Scan();
        var folders = new[] { Path.Combine(pipelinesFolder, "..", "experiments"), Path.Combine(Environment.CurrentDirectory, "experiments") }
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Where(Directory.Exists);
        foreach (var file in folders.SelectMany(f => Directory.EnumerateFiles(f, "*.yaml")).Order(StringComparer.Ordinal).Take(200))
        {
            if (YamlReader.Load(file, file, new List<ConfigError>()) is not { } root)
            {
                continue;
            }

            var folder = Path.GetDirectoryName(file)!;
            var display = PipelineParser.DisplayPath(file);
            var name = (root.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "name" }).Value as YamlScalarNode)?.Value;
            foreach (var (key, value) in Scalars(root))
            {
                var path = Path.GetFullPath(Path.Combine(folder, value));
                if (key == "checkpoint")
                {
                    result.Checkpoints.TryAdd(path, display);
                }
                else if (key == "file" && Identifier.IsValid(name))
                {
                    var list = result.Includes.TryGetValue(path, out var found) ? found : result.Includes[path] = [];
                    list.Add((display, Path.GetFullPath(Path.Combine("out", name!))));
                }
            }
        }

        return result;
    }

    /// <summary>Every <c>checkpoint:</c> and <c>file:</c> scalar in the document (walked without recursion; the guard bounds its size).</summary>
    private static IEnumerable<(string Key, string Value)> Scalars(YamlNode root)
    {
        var pending = new Stack<YamlNode>([root]);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case YamlMappingNode map:
                    foreach (var (key, value) in map.Children)
                    {
                        if (key is YamlScalarNode { Value: "checkpoint" or "file" } k && value is YamlScalarNode { Value: { Length: > 0 } path })
                        {
                            yield return (k.Value!, path);
                        }

                        pending.Push(value);
                    }

                    break;
                case YamlSequenceNode seq:
                    foreach (var child in seq.Children)
                    {
                        pending.Push(child);
                    }

                    break;
            }
        }
    }

    private sealed class Scan
    {
        public Dictionary<string, string> Checkpoints { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<(string, string)>> Includes { get; } = new(StringComparer.Ordinal);
    }
}
