using System.Collections;
using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Rerank.Abstractions;

/// <summary>
/// Binds a component's YAML <c>params:</c> to its options type: keys are snake_case spellings of public settable
/// properties (<c>top_k</c> → <c>TopK</c>); an unknown key, an ill-typed value, a number outside the property's
/// <see cref="RangeAttribute"/> (each element of an array or list), a non-finite float or a failed
/// <see cref="IValidatableOptions.Validate"/> is an error with the value's file:line:column. Supports strings, booleans,
/// integers, floats, enums, arrays and lists of those, and nested options classes. A <see cref="PresetAttribute"/> key is
/// bound before the others, so they override what it sets.
/// </summary>
public static partial class OptionsBinder
{
    /// <summary>Binds <paramref name="parameters"/> to a new <typeparamref name="T"/>; errors go to <paramref name="errors"/>.</summary>
    public static T Bind<T>(ParamMapping? parameters, ICollection<ConfigError> errors)
        where T : class, new() => (T)Bind(typeof(T), parameters, errors);

    /// <summary>Binds <paramref name="parameters"/> to a new instance of <paramref name="type"/>; errors go to <paramref name="errors"/>.</summary>
    public static object Bind(Type type, ParamMapping? parameters, ICollection<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var options = BindObject(type, parameters ?? ParamMapping.Empty, "params", errors);
        if (errors.Count == before && options is IValidatableOptions validatable)
        {
            var at = parameters?.Location ?? SourceLocation.None;
            foreach (var problem in validatable.Validate())
            {
                errors.Add(new ConfigError(at, $"params: {problem}"));
            }
        }

        return options;
    }

    /// <summary>Whether two YAML keys name the same param, as the binder compares them (case, <c>_</c> and <c>-</c> ignored).</summary>
    public static bool SameKey(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Normalize(a) == Normalize(b);
    }

    /// <summary>The YAML key of a property: <c>TopK</c> → <c>top_k</c>.</summary>
    public static string KeyOf(string propertyName)
    {
        ArgumentNullException.ThrowIfNull(propertyName);
        var sb = new StringBuilder(propertyName.Length + 4);
        for (var i = 0; i < propertyName.Length; i++)
        {
            var c = propertyName[i];
            if (char.IsUpper(c))
            {
                var prevLower = i > 0 && (char.IsLower(propertyName[i - 1]) || char.IsDigit(propertyName[i - 1]));
                var nextLower = i > 0 && i + 1 < propertyName.Length && char.IsLower(propertyName[i + 1]) && char.IsUpper(propertyName[i - 1]);
                if (prevLower || nextLower)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Turns options back into params (every key of <see cref="Params"/>, in its order; null values left out): the inverse of <see cref="Bind"/>.</summary>
    public static ParamMapping ToParams(object options) => ToParams(options, identityOnly: false);

    /// <summary>
    /// Options as params; with <paramref name="identityOnly"/>, without the <see cref="ExecutionSettingAttribute"/>
    /// properties (what a component is, for its seed and checkpoint name, not how it runs).
    /// </summary>
    public static ParamMapping ToParams(object options, bool identityOnly)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entries = ImmutableArray.CreateBuilder<ParamEntry>();
        foreach (var p in Params(options.GetType()))
        {
            var value = p.GetValue(options);
            if (value is null || (identityOnly && p.Property.IsDefined(typeof(ExecutionSettingAttribute), false)))
            {
                continue;
            }

            entries.Add(new ParamEntry(p.Key, SourceLocation.None, ToNode(value)));
        }

        return new ParamMapping(entries.ToImmutable(), SourceLocation.None);
    }

    /// <summary>The bindable properties of an options type.</summary>
    public static IReadOnlyList<PropertyInfo> Bindable(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)];
    }

    private static ParamNode ToNode(object value) => value switch
    {
        string s => new ParamScalar(s, SourceLocation.None),
        bool b => new ParamScalar(b ? "true" : "false", SourceLocation.None),
        float f => new ParamScalar(f.ToString("R", CultureInfo.InvariantCulture), SourceLocation.None),
        double d => new ParamScalar(d.ToString("R", CultureInfo.InvariantCulture), SourceLocation.None),
        Enum e => new ParamScalar(KeyOf(e.ToString()), SourceLocation.None),
        IFormattable n when value.GetType().IsPrimitive => new ParamScalar(n.ToString(null, CultureInfo.InvariantCulture), SourceLocation.None),
        IEnumerable list => new ParamSequence([.. list.Cast<object>().Select(ToNode)], SourceLocation.None),
        _ => ToParams(value),
    };

    private static object BindObject(Type type, ParamMapping map, string path, ICollection<ConfigError> errors)
    {
        object options;
        try
        {
            options = Activator.CreateInstance(type)
                ?? throw new InvalidOperationException($"Options type {type.Name} could not be created.");
        }
        catch (MissingMethodException)
        {
            throw new InvalidOperationException($"Options type {type.FullName} needs a public parameterless constructor.");
        }

        var keys = Params(type);
        var byKey = keys.ToDictionary(p => Normalize(p.Key), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        // Presets first (a stable sort: other keys keep their order), so the keys beside a preset override what it sets.
        var entries = map.Entries.OrderBy(e => byKey.TryGetValue(Normalize(e.Key), out var p) && p.Property.IsDefined(typeof(PresetAttribute), false) ? 0 : 1);
        foreach (var entry in entries)
        {
            var key = Normalize(entry.Key);
            if (!byKey.TryGetValue(key, out var param))
            {
                var known = string.Join(", ", keys.Select(p => p.Key));
                errors.Add(new ConfigError(entry.KeyLocation, $"{path}: unknown key '{entry.Key}'; known keys: {(known.Length == 0 ? "(none)" : known)}"));
                continue;
            }

            if (!seen.Add(key))
            {
                errors.Add(new ConfigError(entry.KeyLocation, $"{path}: key '{entry.Key}' is given twice"));
                continue;
            }

            if (TryConvert(param.Property.PropertyType, entry.Value, $"{path}.{entry.Key}", RangeAttributeOf(param.Property), errors, out var value))
            {
                param.SetValue(options, value);
            }
        }

        return options;
    }

    private static bool TryConvert(Type type, ParamNode node, string path, RangeAttribute? range, ICollection<ConfigError> errors, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            if (node is ParamScalar { Value: null or "null" or "~" })
            {
                return true;
            }

            type = underlying;
        }

        if (IsScalarType(type))
        {
            if (node is not ParamScalar scalar)
            {
                errors.Add(new ConfigError(node.Location, $"{path}: expected {Describe(type)}, got a {(node is ParamSequence ? "sequence" : "mapping")}"));
                return false;
            }

            if (TryParseScalar(type, scalar.Value, out value))
            {
                if (value is not null && IsNumeric(type) && OutOfRange(value, range) is { } problem)
                {
                    errors.Add(new ConfigError(node.Location, $"{path}: {problem}"));
                    return false;
                }

                return true;
            }

            errors.Add(new ConfigError(node.Location, $"{path}: {NotParsed(type, scalar.Value, range)}"));
            return false;
        }

        var element = ElementType(type);
        if (element is not null)
        {
            if (node is not ParamSequence sequence)
            {
                errors.Add(new ConfigError(node.Location, $"{path}: expected a sequence of {Describe(element)}"));
                return false;
            }

            var items = Array.CreateInstance(element, sequence.Items.Length);
            var ok = true;
            for (var i = 0; i < sequence.Items.Length; i++)
            {
                if (TryConvert(element, sequence.Items[i], $"{path}[{i}]", range, errors, out var item))
                {
                    items.SetValue(item, i);
                }
                else
                {
                    ok = false;
                }
            }

            value = type.IsArray ? items : Activator.CreateInstance(type, items);
            return ok;
        }

        if (node is not ParamMapping mapping)
        {
            errors.Add(new ConfigError(node.Location, $"{path}: expected a mapping of {type.Name} options"));
            return false;
        }

        var before = errors.Count;
        value = BindObject(type, mapping, path, errors);
        return errors.Count == before;
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            return type.GetGenericArguments()[0];
        }

        return null;
    }

    private static bool IsScalarType(Type type) =>
        type == typeof(string) || type == typeof(bool) || type.IsEnum || type == typeof(int) || type == typeof(long)
        || type == typeof(ulong) || type == typeof(float) || type == typeof(double);

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(string) => "a string",
        _ when type == typeof(bool) => "a boolean (true or false)",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(ulong) => "an integer",
        _ when type == typeof(float) || type == typeof(double) => "a number",
        { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type).Select(KeyOf))}",
        _ => type.Name,
    };

    private static bool TryParseScalar(Type type, string? text, out object? value)
    {
        value = null;
        if (type == typeof(string))
        {
            value = text;
            return true;
        }

        if (text is null)
        {
            return false;
        }

        const NumberStyles Num = NumberStyles.Float;
        var inv = CultureInfo.InvariantCulture;
        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Boolean when bool.TryParse(text, out var b):
                value = b;
                return true;
            case TypeCode.Int32 when int.TryParse(text, NumberStyles.Integer, inv, out var i):
                value = i;
                return true;
            case TypeCode.Int64 when long.TryParse(text, NumberStyles.Integer, inv, out var l):
                value = l;
                return true;
            case TypeCode.UInt64 when ulong.TryParse(text, NumberStyles.Integer, inv, out var u):
                value = u;
                return true;
            case TypeCode.Single when float.TryParse(text, Num, inv, out var f) && float.IsFinite(f):
                value = f;
                return true;
            case TypeCode.Double when double.TryParse(text, Num, inv, out var d) && double.IsFinite(d):
                value = d;
                return true;
        }

        if (type.IsEnum)
        {
            var match = Enum.GetNames(type).FirstOrDefault(n => Normalize(n) == Normalize(text));
            if (match is not null)
            {
                value = Enum.Parse(type, match);
                return true;
            }
        }

        return false;
    }

    private static string Normalize(string key) => key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
}
