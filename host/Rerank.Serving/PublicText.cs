using System.Text.RegularExpressions;

namespace Rerank.Serving;

/// <summary>
/// Error text for what anyone may read (the dashboard, model readiness, a request to a pipeline that is not ready):
/// paths under the pipelines folder are shown relative to it, and any other path — absolute, or climbing out with
/// <c>../</c> — only by its file name (<c>…/sort-ordered.safetensors</c>). The full text stays in the log and on the
/// admin endpoints.
/// </summary>
internal static partial class PublicText
{
    public static string? Redact(string? text, string pipelinesFolder)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var folder = Path.TrimEndingDirectorySeparator(pipelinesFolder) + Path.DirectorySeparatorChar;
        text = text.Replace(folder, "", StringComparison.Ordinal);
        text = OutsidePath().Replace(text, "…/$1");
        return text;
    }

    /// <summary>An absolute path (not after a word character, so "w/o" and "req/s" stay) or a <c>../</c> path; group 1 is its last segment.</summary>
    [GeneratedRegex("""(?:(?<![\w.…])/|(?<![\w/])(?:\.\./)+)(?:[^\s'"|:,;()\[\]/]+/)*([^\s'"|:,;()\[\]/]+)""")]
    private static partial Regex OutsidePath();
}
