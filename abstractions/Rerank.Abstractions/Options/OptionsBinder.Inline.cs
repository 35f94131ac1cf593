using System.Reflection;

namespace Rerank.Abstractions;

/// <summary>The key facet of the binder: the YAML keys of an options type, with <see cref="InlineParamsAttribute"/> settings in their place.</summary>
public static partial class OptionsBinder
{
    /// <summary>
    /// Every YAML key of <paramref name="type"/> in the order params are written: its bindable properties in declaration
    /// order, an <see cref="InlineParamsAttribute"/> property replaced by its own keys.
    /// </summary>
    public static IReadOnlyList<OptionsParam> Params(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var result = new List<OptionsParam>();
        foreach (var property in Bindable(type))
        {
            if (property.GetCustomAttribute<InlineParamsAttribute>() is not { } inline)
            {
                result.Add(new OptionsParam(KeyOf(property.Name), property, null));
                continue;
            }

            var inner = Bindable(property.PropertyType).Select(p => new OptionsParam(KeyOf(p.Name), p, property)).ToList();
            if (inline.Order.Count > 0)
            {
                if (inline.Order.Count != inner.Count || inline.Order.Except(inner.Select(p => p.Key), StringComparer.Ordinal).Any())
                {
                    throw new InvalidOperationException(
                        $"{type.Name}.{property.Name}: [InlineParams] order ({string.Join(", ", inline.Order)}) must list every key of {property.PropertyType.Name} once ({string.Join(", ", inner.Select(p => p.Key))}).");
                }

                inner = [.. inline.Order.Select(key => inner.Single(p => p.Key == key))];
            }

            result.AddRange(inner);
        }

        return result;
    }

    private static bool IsInline(PropertyInfo property) => property.GetCustomAttribute<InlineParamsAttribute>() is not null;
}
