using System.Reflection;

namespace Rerank.Abstractions;

/// <summary>One YAML key of an options type: the property it binds, and the inline property that holds it, if any.</summary>
/// <param name="Key">The snake_case key.</param>
/// <param name="Property">The property the value binds to.</param>
/// <param name="Inline">The <see cref="InlineParamsAttribute"/> property of the options type that holds <paramref name="Property"/>, or null.</param>
public sealed record OptionsParam(string Key, PropertyInfo Property, PropertyInfo? Inline)
{
    /// <summary>The value in <paramref name="options"/> (null when the inline holder is null).</summary>
    public object? GetValue(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var holder = Inline is null ? options : Inline.GetValue(options);
        return holder is null ? null : Property.GetValue(holder);
    }

    /// <summary>Sets the value in <paramref name="options"/>, creating the inline holder when it is null.</summary>
    public void SetValue(object options, object? value)
    {
        ArgumentNullException.ThrowIfNull(options);
        var holder = options;
        if (Inline is not null)
        {
            holder = Inline.GetValue(options);
            if (holder is null)
            {
                holder = Activator.CreateInstance(Inline.PropertyType)!;
                Inline.SetValue(options, holder);
            }
        }

        Property.SetValue(holder, value);
    }
}
