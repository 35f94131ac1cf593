using System.Text.RegularExpressions;

namespace Rerank.Evaluation.Reports;

/// <summary>One stage of a resolved pipeline as <c>CompiledPipeline.Describe()</c> prints it.</summary>
/// <param name="Kind">generate, evaluate, diversify, truncate, …</param>
/// <param name="Components">(role, <c>plugin@version/name</c>) of each component.</param>
/// <param name="Note">The parenthesised suffix (e.g. <c>count 8</c>), or empty.</param>
/// <param name="Details">The indented lines under the stage (params, checkpoint).</param>
internal sealed record GraphStage(string Kind, IReadOnlyList<(string Role, string Reference)> Components, string Note, IReadOnlyList<string> Details);

/// <summary>A resolved pipeline graph read back from its text description (what <c>run.json</c> stores).</summary>
/// <param name="Name">Pipeline name.</param>
/// <param name="Stages">Stages in order.</param>
internal sealed partial record PipelineGraph(string Name, IReadOnlyList<GraphStage> Stages)
{
    /// <summary>Reads <c>pipeline NAME</c> then <c>  N. kind: role=ref, role=ref (note)</c> lines with indented details.</summary>
    public static PipelineGraph Parse(string name, string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var stages = new List<GraphStage>();
        List<string>? details = null;
        foreach (var line in description.Split('\n'))
        {
            if (line.StartsWith("pipeline ", StringComparison.Ordinal) || line.Trim().Length == 0)
            {
                continue;
            }

            var match = StageLine().Match(line);
            if (match.Success)
            {
                details = [];
                var note = match.Groups["note"].Value;
                var components = match.Groups["parts"].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries)
                    .Select(part => part.Split('=', 2))
                    .Select(kv => kv.Length == 2 ? (kv[0].Trim(), kv[1].Trim()) : ("", kv[0].Trim()))
                    .ToList();
                stages.Add(new GraphStage(match.Groups["kind"].Value, components, note, details));
            }
            else
            {
                details?.Add(line.Trim());
            }
        }

        return new PipelineGraph(name, stages);
    }

    [GeneratedRegex(@"^\s+\d+\.\s+(?<kind>[\w-]+)(?::\s*(?<parts>.*?))?(?:\s+\((?<note>[^()]*)\))?\s*$")]
    private static partial Regex StageLine();
}
