using System.Globalization;
using Rerank.Abstractions;
using Shouldly;
using Xunit;

namespace Rerank.Conformance;

/// <summary>
/// The conformance suite of evaluators: one finite value per slate, and a slate's value does not depend on where it sits
/// among the K slates of its request.
/// </summary>
public abstract class EvaluatorConformance : ComponentConformance<IEvaluator>
{
    /// <summary>A suite whose derived class overrides <c>Plugin</c> and <c>Component</c>.</summary>
    protected EvaluatorConformance()
    {
    }

    /// <summary>The suite for <paramref name="component"/> of <paramref name="plugin"/> with <paramref name="paramsYaml"/> (one line per component).</summary>
    protected EvaluatorConformance(IRerankPlugin plugin, string component, string paramsYaml = "")
        : base(plugin, component, paramsYaml)
    {
    }

    [Fact]
    public void Evaluate_Batch_OneFiniteValuePerSlate()
    {
        var batch = SampleBatch();
        var slates = Slates(batch);
        var values = Build().Evaluate(batch, slates, Context());
        values.Length.ShouldBe(batch.Count, $"{Component} must return values for every request");
        for (var b = 0; b < batch.Count; b++)
        {
            values[b].Length.ShouldBe(slates[b].Count, $"{Component}: request {b} must get one value per slate");
            values[b].ShouldAllBe(v => double.IsFinite(v), $"{Component}: request {b} got a value that is not finite");
        }
    }

    [Fact]
    public void Evaluate_SlatesReversed_ValuesFollowTheirSlates()
    {
        var batch = SampleBatch();
        var slates = Slates(batch);
        var evaluator = Build();
        var forward = evaluator.Evaluate(batch, slates, Context());
        var backward = evaluator.Evaluate(batch, [.. slates.Select(s => (IReadOnlyList<Slate>)[.. s.Reverse()])], Context());
        for (var b = 0; b < batch.Count; b++)
        {
            backward[b].Reverse().ShouldBe(forward[b], BatchTolerance, string.Create(CultureInfo.InvariantCulture, $"{Component}: request {b}"));
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyList<SlateRecord>[] Run(IEvaluator component, RerankBatch batch, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(component);
        var slates = Slates(batch);
        var values = component.Evaluate(batch, slates, context);
        return [.. slates.Select((list, b) => (IReadOnlyList<SlateRecord>)[.. list.Select((s, k) => new SlateRecord(s.Indices, values[b][k]))])];
    }

    /// <summary>Per request: the prior order cut to L, its reverse, and two seeded random slates of L (depending only on the request).</summary>
    protected static IReadOnlyList<Slate>[] Slates(RerankBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var ctr = Math.Max(0, batch.Schema.PriorIndex("ctr"));
        var result = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            var n = batch.CandidateCounts[b];
            var l = batch.SlateSizes[b];
            var order = Enumerable.Range(0, n).OrderByDescending(i => batch.Priors[(batch.CandidateOffset(b, i) * batch.PriorCount) + ctr]).ThenBy(i => i).ToArray();
            var random = new SplitMix(7, batch.Requests[b].RequestId);
            var list = new List<Slate> { new(order[..l], 0), new([.. order.Reverse().Take(l)], 0) };
            for (var k = 0; k < 2; k++)
            {
                list.Add(new Slate([.. Enumerable.Range(0, n).OrderBy(_ => random.NextUInt64()).Take(l)], 0));
            }

            result[b] = list;
        }

        return result;
    }
}
