using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Rerank.Runtime.Configuration;

namespace Rerank.Cli;

/// <summary>Bounds for numeric command-line options: a value outside is a parse error naming the option, the range and the value (exit 2).</summary>
internal static class CliRanges
{
    /// <summary>Accepts values in <paramref name="range"/> only.</summary>
    public static Option<int> InRange(this Option<int> option, IntRange range)
    {
        option.Validators.Add(result => Check(result, option.Name, result.GetValueOrDefault<int>(), range));
        return option;
    }

    /// <summary>Accepts no value or one in <paramref name="range"/>.</summary>
    public static Option<int?> InRange(this Option<int?> option, IntRange range)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value)
            {
                Check(result, option.Name, value, range);
            }
        });
        return option;
    }

    /// <summary>Accepts seconds in (0, <paramref name="maxSeconds"/>].</summary>
    public static Option<double> Seconds(this Option<double> option, double maxSeconds)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<double>();
            if (!(value > 0 && value <= maxSeconds))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name}: must be in (0, {maxSeconds}], got {value}"));
            }
        });
        return option;
    }

    private static void Check(OptionResult result, string name, int value, IntRange range)
    {
        if (!range.Contains(value))
        {
            result.AddError($"{name}: {range.Problem(value.ToString(CultureInfo.InvariantCulture))}");
        }
    }
}
