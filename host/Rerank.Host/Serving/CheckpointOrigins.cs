using Rerank.Abstractions;
using Rerank.Host.Configuration;
using YamlDotNet.RepresentationModel;

namespace Rerank.Host.Serving;

/// <summary>
/// Finds the experiment that trains a checkpoint: an experiment file (in the <c>experiments/</c> folder beside the
/// pipelines folder, or under the working directory) with a component whose <c>checkpoint:</c> resolves to the same file.
/// <c>rerank run</c> saves a trained component to its <c>checkpoint:</c> when the file is absent, so running that
/// experiment creates the checkpoint a pipeline is missing.
/// </summary>
internal sealed class CheckpointOrigins
{
    private readonly Lazy<IReadOnlyDictionary<string, string>> trainedBy;

    public CheckpointOrigins(string pipelinesFolder)
    {
        trainedBy = new Lazy<IReadOnlyDictionary<string, string>>(() => Scan(pipelinesFolder));
    }

    /// <summary>The experiment file (as a path to type, relative to the working directory when below it) that writes <paramref name="checkpoint"/>, or null.</summary>
    public string? TrainedBy(string checkpoint) =>
        trainedBy.Value.TryGetValue(Path.GetFullPath(checkpoint), out var experiment) ? experiment : null;

    private static Dictionary<string, string> Scan(string pipelinesFolder)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var folders = new[] { Path.Combine(pipelinesFolder, "..", "experiments"), Path.Combine(Environment.CurrentDirectory, "experiments") }
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Where(Directory.Exists);
        foreach (var file in folders.SelectMany(f => Directory.EnumerateFiles(f, "*.yaml")).Order(StringComparer.Ordinal).Take(200))
        {
            var errors = new List<ConfigError>();
            if (YamlReader.Load(file, file, errors) is not { } root)
            {
                continue;
            }

            var folder = Path.GetDirectoryName(file)!;
            foreach (var checkpoint in Checkpoints(root))
            {
                result.TryAdd(Path.GetFullPath(Path.Combine(folder, checkpoint)), Pipelines.PipelineParser.DisplayPath(file));
            }
        }

        return result;
    }

    /// <summary>Every <c>checkpoint:</c> scalar in the document (walked without recursion; the guard bounds its size).</summary>
    private static IEnumerable<string> Checkpoints(YamlNode root)
    {
        var pending = new Stack<YamlNode>([root]);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case YamlMappingNode map:
                    foreach (var (key, value) in map.Children)
                    {
                        if (key is YamlScalarNode { Value: "checkpoint" } && value is YamlScalarNode { Value: { Length: > 0 } path })
                        {
                            yield return path;
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
}
