using Rerank.Abstractions;
using Xunit;

namespace Rerank.Conformance;

/// <summary>The conformance suite of generators: valid, distinct slates of L (or at least L) real candidates, between 1 and K per request.</summary>
public abstract class GeneratorConformance : ComponentConformance<IGenerator>
{
    /// <summary>A suite whose derived class overrides <c>Plugin</c> and <c>Component</c>.</summary>
    protected GeneratorConformance()
    {
    }

    /// <summary>The suite for <paramref name="component"/> of <paramref name="plugin"/> with <paramref name="paramsYaml"/> (one line per component).</summary>
    protected GeneratorConformance(IRerankPlugin plugin, string component, string paramsYaml = "")
        : base(plugin, component, paramsYaml)
    {
    }

    /// <summary>K, slates asked per request.</summary>
    protected virtual int Count => 4;

    /// <summary>Exactly L (default), or at least L for generators that return a full ranking for a later stage to cut.</summary>
    protected virtual SlateChecks.Length SlateLength => SlateChecks.Length.ExactlyL;

    [Fact]
    public void Generate_Batch_ValidDistinctSlates()
    {
        var batch = SampleBatch();
        SlateChecks.Check(Component, batch, Build().Generate(batch, Count, Context()), Count, SlateLength);
    }

    [Fact]
    public void Generate_CountOne_OneValidSlate()
    {
        var batch = SampleBatch();
        SlateChecks.Check(Component, batch, Build().Generate(batch, 1, Context()), 1, SlateLength);
    }

    /// <inheritdoc />
    protected override IReadOnlyList<SlateRecord>[] Run(IGenerator component, RerankBatch batch, RerankContext context) =>
        SlateRecord.Of(component.Generate(batch, Count, context));
}
