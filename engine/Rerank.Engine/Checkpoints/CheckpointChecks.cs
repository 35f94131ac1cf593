using System.Globalization;

namespace Rerank.Engine.Checkpoints;

/// <summary>The comparisons behind <see cref="Checkpoint.Mismatches"/>: plugin versions, hyper-parameters, schemas.</summary>
internal static class CheckpointChecks
{
    private static readonly string[] SchemaSeparators = ["; ", ", "];

    /// <summary>Same major version (0.x: same major and minor); unreadable versions are never compatible.</summary>
    public static bool CompatibleVersions(string recorded, string current) =>
        Parse(recorded) is { } a && Parse(current) is { } b && a.Major == b.Major && (a.Major > 0 || a.Minor == b.Minor);

    /// <summary>One line per hyper-parameter that differs, is missing or is extra.</summary>
    public static IEnumerable<string> HyperParameters(CheckpointHeader found, HyperParameters expected)
    {
        if (found.HyperParameters is not { } recorded)
        {
            return [$"{CheckpointMetadata.HyperParameters} are not recorded (expected {expected.Json})"];
        }

        if (JsonValues.Parse(recorded) is { } values)
        {
            // Format 0 wrote the options with C# property names and enums as numbers; it is compared in that form.
            return found.FormatVersion >= 1
                ? Compare(values, expected.Values, key => key, ordinalValues: true)
                : Compare(values, expected.LegacyValues, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName, ordinalValues: true);
        }

        if (found.FormatVersion == 0 && Pairs(recorded) is { } pairs)
        {
            // SORT-Gen's format 0: "key=value, …" with snake_case keys and enum names.
            return Compare(pairs, expected.Values.ToDictionary(kv => kv.Key, kv => JsonValues.Unquoted(kv.Value), StringComparer.Ordinal), key => key, ordinalValues: false);
        }

        return [$"{CheckpointMetadata.HyperParameters} are not a JSON object: '{recorded}'"];
    }

    /// <summary>The schema parts only the checkpoint has and only the data has, or nothing when they are equal.</summary>
    public static IEnumerable<string> Schema(string? found, string expected)
    {
        if (found is null)
        {
            return [$"{CheckpointMetadata.Schema} is not recorded (the data has [{expected}])"];
        }

        if (string.Equals(found, expected, StringComparison.Ordinal))
        {
            return [];
        }

        var theirs = found.Split(SchemaSeparators, StringSplitOptions.RemoveEmptyEntries);
        var mine = expected.Split(SchemaSeparators, StringSplitOptions.RemoveEmptyEntries);
        var only = theirs.Except(mine, StringComparer.Ordinal).ToList();
        var missing = mine.Except(theirs, StringComparer.Ordinal).ToList();
        return only.Count + missing.Count == 0
            ? [$"{CheckpointMetadata.Schema} lists the same features in another order: the checkpoint has [{found}], the data has [{expected}]"]
            : [$"{CheckpointMetadata.Schema} differs: the checkpoint has [{string.Join(", ", only)}], the data has [{string.Join(", ", missing)}]"];
    }

    private static List<string> Compare(IReadOnlyDictionary<string, string> found, IReadOnlyDictionary<string, string> expected, Func<string, string> display, bool ordinalValues)
    {
        var problems = new List<string>();
        var comparison = ordinalValues ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        foreach (var (key, value) in expected)
        {
            if (!found.TryGetValue(key, out var recorded))
            {
                problems.Add($"hyper-parameter '{display(key)}' is not in the checkpoint (here: {value})");
            }
            else if (!string.Equals(recorded, value, comparison))
            {
                problems.Add($"hyper-parameter '{display(key)}' is {recorded} in the checkpoint, {value} here");
            }
        }

        problems.AddRange(found.Where(kv => !expected.ContainsKey(kv.Key))
            .Select(kv => $"hyper-parameter '{display(kv.Key)}' is in the checkpoint ({kv.Value}) but not a hyper-parameter here"));
        return problems;
    }

    private static Dictionary<string, string>? Pairs(string text)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(", ", StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !pairs.TryAdd(part[..eq].Trim(), part[(eq + 1)..].Trim()))
            {
                return null;
            }
        }

        return pairs.Count > 0 ? pairs : null;
    }

    private static (int Major, int Minor)? Parse(string version)
    {
        var core = version.Split('-', '+')[0].Split('.');
        return core.Length >= 2
            && int.TryParse(core[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && int.TryParse(core[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
                ? (major, minor)
                : null;
    }
}
