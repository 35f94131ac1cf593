using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Numerics;
using System.Reflection;

namespace Rerank.Abstractions;

/// <summary>The range facet of the binder: every numeric option declares its bounds with <see cref="RangeAttribute"/>.</summary>
public static partial class OptionsBinder
{
    /// <summary>
    /// The range a numeric property accepts, written as binding errors write it: <c>[1, 1024]</c>, <c>(0, 10]</c> (a
    /// parenthesis is an exclusive bound); null when it has no <see cref="RangeAttribute"/>.
    /// </summary>
    public static string? RangeOf(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return RangeAttributeOf(property) is { } range ? RangeText(range) : null;
    }

    /// <summary>
    /// Checks options built in code as binding checks values read from YAML: every numeric property against its
    /// <see cref="RangeAttribute"/> (each element of arrays and lists, nested options classes recursively) and every float
    /// for being finite. One message per value, e.g. <c>width must be in [1, 1024], got 0</c>; empty when all are in range.
    /// </summary>
    public static IReadOnlyList<string> RangeErrors(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        CollectRangeErrors(options, "", errors);
        return errors;
    }

    private static void CollectRangeErrors(object options, string prefix, List<string> errors)
    {
        foreach (var property in Bindable(options.GetType()))
        {
            var value = property.GetValue(options);
            var key = prefix + KeyOf(property.Name);
            var range = RangeAttributeOf(property);
            if (value is null || value is string || value.GetType().IsEnum || value is bool)
            {
                continue;
            }

            if (IsNumeric(value.GetType()))
            {
                if (OutOfRange(value, range) is { } problem)
                {
                    errors.Add($"{key} {problem}");
                }
            }
            else if (value is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items)
                {
                    if (item is not null && IsNumeric(item.GetType()) && OutOfRange(item, range) is { } problem)
                    {
                        errors.Add($"{key}[{i}] {problem}");
                    }
                    else if (item is not null && IsNestedOptions(item.GetType()))
                    {
                        CollectRangeErrors(item, $"{key}[{i}].", errors);
                    }

                    i++;
                }
            }
            else if (IsNestedOptions(value.GetType()))
            {
                CollectRangeErrors(value, IsInline(property) ? prefix : key + ".", errors);
            }
        }
    }

    private static RangeAttribute? RangeAttributeOf(PropertyInfo property) => property.GetCustomAttribute<RangeAttribute>(inherit: true);

    private static bool IsNumeric(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(ulong) || type == typeof(float) || type == typeof(double);

    private static bool IsNestedOptions(Type type) => type.IsClass && !IsScalarType(type) && ElementType(type) is null;

    /// <summary>Why a parsed number is not accepted (not finite, or outside <paramref name="range"/>), or null.</summary>
    private static string? OutOfRange(object value, RangeAttribute? range)
    {
        var x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (!double.IsFinite(x))
        {
            return $"must be a finite number, got {Format(value)}";
        }

        if (range is null)
        {
            return null;
        }

        var min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        var max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        var inside = (range.MinimumIsExclusive ? x > min : x >= min) && (range.MaximumIsExclusive ? x < max : x <= max);
        return inside ? null : $"must be in {RangeText(range)}, got {Format(value)}";
    }

    /// <summary>The message for a scalar that did not parse as <paramref name="type"/>: too large an integer and a non-finite float say so.</summary>
    private static string NotParsed(Type type, string? text, RangeAttribute? range)
    {
        var inv = CultureInfo.InvariantCulture;
        if ((type == typeof(float) || type == typeof(double)) && text is not null
            && (double.TryParse(text, NumberStyles.Float, inv, out _) || text.Trim().TrimStart('+', '-').ToLowerInvariant() is ".inf" or ".nan"))
        {
            return $"must be a finite number, got '{text}'";
        }

        if ((type == typeof(int) || type == typeof(long) || type == typeof(ulong)) && text is not null
            && BigInteger.TryParse(text, NumberStyles.Integer, inv, out _))
        {
            return $"must be in {(range is null ? TypeRange(type) : RangeText(range))}, got {text.Trim()}";
        }

        return $"'{text}' is not {Describe(type)}";
    }

    private static string TypeRange(Type type) =>
        type == typeof(int) ? $"[{int.MinValue}, {int.MaxValue}]"
        : type == typeof(long) ? $"[{long.MinValue}, {long.MaxValue}]"
        : $"[0, {ulong.MaxValue}]";

    private static string RangeText(RangeAttribute range) =>
        $"{(range.MinimumIsExclusive ? "(" : "[")}{Format(range.Minimum)}, {Format(range.Maximum)}{(range.MaximumIsExclusive ? ")" : "]")}";

    private static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
