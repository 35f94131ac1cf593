using Rerank.Abstractions;

namespace Rerank.Cli;

/// <summary><c>--set key=value</c> on the command line: one param each, replacing the same key given in YAML (keys compare as the binder does, <see cref="OptionsBinder.SameKey"/>).</summary>
internal static class ParamOverrides
{
    /// <summary>The example in error messages.</summary>
    public const string Example = "--set candidates=12";

    /// <summary><paramref name="entries"/> with each override replacing its key (or added); a malformed override is an error naming it.</summary>
    public static IReadOnlyList<ParamEntry> Apply(IEnumerable<ParamEntry> entries, IReadOnlyList<string> overrides, ICollection<ConfigError> errors)
    {
        var result = entries.ToList();
        foreach (var item in overrides)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            var at = new SourceLocation($"--set {item}", 0, 0);
            if (eq <= 0)
            {
                errors.Add(new ConfigError(at, $"expected key=value, e.g. {Example}"));
                continue;
            }

            var key = item[..eq].Trim();
            result.RemoveAll(e => OptionsBinder.SameKey(e.Key, key));
            result.Add(new ParamEntry(key, at, new ParamScalar(item[(eq + 1)..].Trim(), at)));
        }

        return result;
    }

    /// <summary>
    /// The checkpoint folder of a run with these overrides, e.g. <c>set-preset-rich</c> for <c>--set preset=rich</c>: only
    /// letters, digits, <c>.</c> and <c>-</c>, in the order given, so the same overrides always find the same checkpoints.
    /// </summary>
    public static string FolderName(IReadOnlyList<string> overrides)
    {
        var text = "set-" + string.Join("-", overrides.Select(o => o.Trim()));
        var chars = text.Select(c => char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '-').ToArray();
        var name = new string(chars);
        return name.Length <= 80 ? name : name[..64] + "-" + StableHash(text);
    }

    private static string StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
