using System.Globalization;

namespace Rerank.Conformance;

/// <summary>
/// Committed checkpoints of trainable components (<c>tests/fixtures/checkpoints/&lt;plugin&gt;/&lt;component&gt;/</c>): each
/// <c>&lt;label&gt;.safetensors</c> beside a <c>&lt;label&gt;.expected.txt</c> holding the outputs the component produced on the
/// conformance sample batch when it was saved. <see cref="ComponentConformance{TComponent}"/> loads every one of them into
/// a fresh instance and requires the same outputs, so a checkpoint written by an earlier version keeps loading.
/// </summary>
public static class CheckpointFixtures
{
    /// <summary>
    /// When set (to a label such as <c>format-0</c>), the fixture tests first train, save and record the fixture
    /// <c>&lt;label&gt;.*</c> in the current format; <c>scripts/make-checkpoint-fixtures.sh</c> sets it. Unset in test runs.
    /// </summary>
    public const string WriteVariable = "RERANK_WRITE_CHECKPOINT_FIXTURES";

    /// <summary>The fixture folder of the repository the tests run from (found by walking up to <c>Framework.sln</c>).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The folder of one component's fixtures.</summary>
    public static string Folder(string plugin, string component) => Path.Combine(Root, plugin, component);

    /// <summary>Writes the recorded outputs: a comment line, then one line per request (<see cref="SlateRecord"/>s joined by " | ").</summary>
    public static void WriteExpected(string path, string header, IReadOnlyList<SlateRecord>[] outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var lines = new List<string> { $"# {header}" };
        lines.AddRange(outputs.Select(list => string.Join(" | ", list)));
        var temp = path + ".tmp";
        File.WriteAllLines(temp, lines);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads outputs written by <see cref="WriteExpected"/>.</summary>
    public static IReadOnlyList<SlateRecord>[] ReadExpected(string path) =>
        [.. File.ReadAllLines(path).Where(l => !l.StartsWith('#') && l.Length > 0).Select(ParseLine)];

    private static IReadOnlyList<SlateRecord> ParseLine(string line) =>
        [.. line.Split(" | ").Select(record =>
        {
            var close = record.IndexOf(']', StringComparison.Ordinal);
            var indices = record[1..close].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => int.Parse(i, CultureInfo.InvariantCulture)).ToArray();
            return new SlateRecord(indices, double.Parse(record[(close + 1)..].Trim(), CultureInfo.InvariantCulture));
        })];

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Framework.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Framework.sln not found above " + AppContext.BaseDirectory), "tests", "fixtures", "checkpoints");
    }
}
