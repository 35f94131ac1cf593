using System.Collections;
using System.Globalization;
using System.Reflection;
using Rerank.Abstractions;

namespace Rerank.Runtime.Plugins;

/// <summary>
/// The params of an options type, read by reflection the way <see cref="OptionsBinder"/> binds them: key, type, default
/// (from a new instance) and range (<see cref="OptionsBinder.RangeOf"/>); inline records (<see cref="InlineParamsAttribute"/>)
/// add their keys in place, nested options classes add dotted rows.
/// </summary>
public static class ParamTable
{
    /// <summary>The default of a param that is null until set.</summary>
    public const string Unset = "unset";

    /// <summary>The default of a nested options mapping whose own rows follow.</summary>
    public const string Nested = "(below)";

    /// <summary>One row per param of <paramref name="optionsType"/>, nested options classes as dotted keys.</summary>
    public static IReadOnlyList<ParamRow> Rows(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var rows = new List<ParamRow>();
        Add(optionsType, Activator.CreateInstance(optionsType)!, "", rows, []);
        return rows;
    }

    private static void Add(Type type, object defaults, string prefix, List<ParamRow> rows, HashSet<Type> open)
    {
        open.Add(type);
        foreach (var param in OptionsBinder.Params(type))
        {
            var property = param.Property;
            var key = prefix + param.Key;
            var value = param.GetValue(defaults);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var element = ElementType(propertyType);
            var range = OptionsBinder.RangeOf(property) is { } r ? (element is null ? r : r + " each") : "";
            if (IsNested(propertyType))
            {
                rows.Add(new ParamRow(key, "mapping", value is null ? Unset : Nested, ""));
                if (!open.Contains(propertyType))
                {
                    Add(propertyType, value ?? Activator.CreateInstance(propertyType)!, key + ".", rows, open);
                }

                continue;
            }

            rows.Add(new ParamRow(key, TypeName(property.PropertyType), Format(value), range));
        }

        open.Remove(type);
    }

    private static string TypeName(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying) + "?";
        }

        if (ElementType(type) is { } element)
        {
            return TypeName(element) + "[]";
        }

        return type switch
        {
            _ when type == typeof(int) => "int",
            _ when type == typeof(long) => "long",
            _ when type == typeof(ulong) => "ulong",
            _ when type == typeof(float) => "float",
            _ when type == typeof(double) => "double",
            _ when type == typeof(bool) => "bool",
            _ when type == typeof(string) => "string",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type).Select(OptionsBinder.KeyOf)),
            _ => type.Name,
        };
    }

    private static string Format(object? value) => value switch
    {
        null => Unset,
        string s => s.Length == 0 ? "\"\"" : s,
        bool b => b ? "true" : "false",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        Enum e => OptionsBinder.KeyOf(e.ToString()),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "",
    };

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
        : null;

    private static bool IsNested(Type type) =>
        type.IsClass && type != typeof(string) && ElementType(type) is null;
}
