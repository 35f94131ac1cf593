using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Plugins;
using Rerank.Simulation.Datasets;
using Rerank.Testing;

namespace Rerank.Evaluation.Tests.Experiments;

/// <summary>
/// Issue #16, "runaway sizes": every numeric option of every shipped component and of the host's YAML options carries a
/// <see cref="RangeAttribute"/> (nested options and list elements included), and every default lies inside its range.
/// </summary>
public sealed class ParamRangeCoverageTests
{
    private static readonly string Shipped = Path.Combine(RepoPaths.Root, "artifacts", "plugins");

    public sealed class Leaky
    {
        [Range(1, 8)]
        public int Ranged { get; set; } = 1;

        public int Count { get; set; }

        public long? Budget { get; set; }

        public float[] Weights { get; set; } = [];

        public string Name { get; set; } = "";

        public LeakyInner Inner { get; set; } = new();

        public List<LeakyInner> Items { get; set; } = [];
    }

    public sealed class LeakyInner
    {
        public double Depth { get; set; }

        [Range(0.0, 1.0)]
        public double Share { get; set; }
    }

    [Fact]
    public void ShippedOptions_EveryNumericParam_HasARange()
    {
        using var catalog = new PluginLoader().LoadFolder(Shipped);
        var options = OptionsTypes(catalog);
        options.Select(o => o.Owner).ShouldContain("baselines/decoder/beam");

        var missing = options.SelectMany(o => Unranged(o.Type).Select(m => $"{o.Owner}: {m}")).ToList();

        missing.ShouldBeEmpty(
            "every numeric option needs [Range(min, max)] (System.ComponentModel.DataAnnotations) with the range in its XML doc, "
            + "and docs/params.md regenerated:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void ShippedOptions_EveryDefault_IsInItsRange()
    {
        using var catalog = new PluginLoader().LoadFolder(Shipped);

        var outside = OptionsTypes(catalog)
            .SelectMany(o => Reachable(o.Type).SelectMany(t => OptionsBinder.RangeErrors(Activator.CreateInstance(t)!).Select(e => $"{o.Owner} ({t.Name}): {e}")))
            .ToList();

        outside.ShouldBeEmpty(string.Join("\n", outside));
    }

    [Fact]
    public void Unranged_NumericPropertiesWithoutRange_AreListedWhereverTheyAre() =>
        Unranged(typeof(Leaky)).ShouldBe(
        [
            "Leaky.Count (count)",
            "Leaky.Budget (budget)",
            "Leaky.Weights (weights)",
            "LeakyInner.Depth (inner.depth)",
        ]);

    /// <summary>The options type of every component of every loaded plugin, and of every host block bound from YAML.</summary>
    internal static List<(string Owner, Type Type)> OptionsTypes(PluginCatalog catalog)
    {
        catalog.Plugins.Where(p => p.Status == PluginLoadStatus.Failed).Select(p => p.Error).ShouldBeEmpty();
        return
        [
            .. catalog.Plugins.SelectMany(p => p.Components).Select(c => ($"{c.PluginId}/{c.Kind.Word()}/{c.Name}", c.OptionsType)),
            .. DatasetTypes.All.Select(t => ($"dataset: {t.Type}", t.OptionsType)),
            ("evaluation", typeof(EvaluationOptions)),
        ];
    }

    /// <summary>
    /// Every bindable numeric property (scalar, nullable, or element of an array or list) without a <see cref="RangeAttribute"/>,
    /// walking nested options classes (and classes as list elements) once each; as <c>Type.Property (yaml.key)</c>.
    /// </summary>
    internal static List<string> Unranged(Type root)
    {
        var missing = new List<string>();
        var seen = new HashSet<Type>();
        var pending = new Queue<(Type Type, string Prefix)>([(root, "")]);
        while (pending.TryDequeue(out var next))
        {
            if (!seen.Add(next.Type))
            {
                continue;
            }

            foreach (var property in OptionsBinder.Bindable(next.Type))
            {
                var key = next.Prefix + OptionsBinder.KeyOf(property.Name);
                var value = Scalar(property.PropertyType);
                if (IsNumeric(value) && property.GetCustomAttribute<RangeAttribute>() is null)
                {
                    missing.Add($"{next.Type.Name}.{property.Name} ({key})");
                }
                else if (value.IsClass && value != typeof(string))
                {
                    pending.Enqueue((value, key + "."));
                }
            }
        }

        return missing;
    }

    /// <summary>The root type and every nested options class it reaches.</summary>
    private static IEnumerable<Type> Reachable(Type root)
    {
        var seen = new HashSet<Type> { root };
        var pending = new Queue<Type>([root]);
        while (pending.TryDequeue(out var type))
        {
            yield return type;
            foreach (var value in OptionsBinder.Bindable(type).Select(p => Scalar(p.PropertyType)))
            {
                if (value.IsClass && value != typeof(string) && seen.Add(value))
                {
                    pending.Enqueue(value);
                }
            }
        }
    }

    /// <summary>The type a value or each element has: <c>int?</c> → int, <c>float[]</c> → float, <c>List&lt;T&gt;</c> → T.</summary>
    private static Type Scalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var element = type.IsArray ? type.GetElementType()!
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
            : type;
        return Nullable.GetUnderlyingType(element) ?? element;
    }

    private static bool IsNumeric(Type type) => (type.IsPrimitive && type != typeof(bool) && type != typeof(char)) || type == typeof(decimal);
}
