using System.Diagnostics.CodeAnalysis;
using NuGet.Versioning;

namespace Rerank.Runtime.Plugins;

/// <summary>
/// Parses version ranges as pipelines write them: <c>^1.2</c> (same major, at least 1.2.0), <c>~1.2</c> (same minor),
/// <c>1.2.3</c> or <c>=1.2.3</c> (exactly), <c>&gt;=1.2</c>, <c>*</c>, and NuGet interval notation such as <c>[1.0,2.0)</c>.
/// </summary>
internal static class VersionRanges
{
    public static bool TryParse(string text, [NotNullWhen(true)] out VersionRange? range)
    {
        range = null;
        text = text.Trim();
        if (text is "*" or "")
        {
            range = VersionRange.All;
            return true;
        }

        if (text[0] is '[' or '(')
        {
            return VersionRange.TryParse(text, out range);
        }

        if (text.StartsWith(">=", StringComparison.Ordinal))
        {
            if (!NuGetVersion.TryParse(text[2..].Trim(), out var min))
            {
                return false;
            }

            range = new VersionRange(min, includeMinVersion: true);
            return true;
        }

        var op = text[0] is '^' or '~' or '=' ? text[0] : '\0';
        if (!NuGetVersion.TryParse(op == '\0' ? text : text[1..].Trim(), out var v))
        {
            return false;
        }

        range = op switch
        {
            '^' when v.Major > 0 => new VersionRange(v, true, new NuGetVersion(v.Major + 1, 0, 0), false),
            '^' => new VersionRange(v, true, new NuGetVersion(0, v.Minor + 1, 0), false),
            '~' => new VersionRange(v, true, new NuGetVersion(v.Major, v.Minor + 1, 0), false),
            _ => new VersionRange(v, true, v, true),
        };
        return true;
    }

    /// <summary>A short human form of a range (the text it was parsed from is usually better; this is for generated messages).</summary>
    public static string Describe(VersionRange range) => range.PrettyPrint();
}
