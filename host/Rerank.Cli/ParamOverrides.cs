using Rerank.Abstractions;

namespace Rerank.Cli;

/// <summary><c>--set key=value</c> on the command line: one param each, replacing the same key given in YAML (keys compare as the binder does).</summary>
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
            result.RemoveAll(e => Normalize(e.Key) == Normalize(key));
            result.Add(new ParamEntry(key, at, new ParamScalar(item[(eq + 1)..].Trim(), at)));
        }

        return result;
    }

    private static string Normalize(string key) => key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
}
