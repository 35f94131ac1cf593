namespace Rerank.Docs.Tests.Support;

/// <summary>A fenced code block of a markdown page: its code and the page line of its first code line (1-based).</summary>
/// <param name="Line">The line of the page the code starts on.</param>
/// <param name="Code">The code between the fences.</param>
internal sealed record Snippet(int Line, string Code);

/// <summary>Extracts the <c>```csharp</c> blocks of a markdown page, with their line numbers.</summary>
internal static class MarkdownSnippets
{
    private static readonly string[] CSharpInfo = ["csharp", "cs", "c#"];

    /// <summary>Every block whose info string starts with <c>csharp</c> (or <c>cs</c>, <c>c#</c>), in page order.</summary>
    /// <exception cref="FormatException">A block is not closed.</exception>
    public static IReadOnlyList<Snippet> CSharp(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var snippets = new List<Snippet>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart();
            if (!fence.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var info = fence[3..].Trim().Split(' ', 2)[0];
            var start = i;
            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            if (end < 0)
            {
                throw new FormatException($"line {start + 1}: the code block opened here is never closed");
            }

            if (CSharpInfo.Contains(info, StringComparer.OrdinalIgnoreCase))
            {
                snippets.Add(new Snippet(start + 2, string.Join("\n", lines[(start + 1)..end])));
            }

            i = end;
        }

        return snippets;
    }
}
