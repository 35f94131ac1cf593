using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// Item-level multi-objective ranking by a hand-set formula (§1): score = CTR^a · CVR^b · price^c, sorted descending (ties by
/// candidate index), the first L kept. Scores are computed in log space so tiny priors do not underflow.
/// </summary>
internal sealed class FormulaGenerator : IGenerator
{
    private readonly FormulaOptions _options;

    public FormulaGenerator(FormulaOptions options, string name)
    {
        _options = options;
        Name = name;
    }

    public string Name { get; }

    public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var ctr = Prior(batch.Schema, _options.CtrPrior);
        var cvr = Prior(batch.Schema, _options.CvrPrior);
        var slates = new IReadOnlyList<Slate>[batch.Count];
        for (var b = 0; b < batch.Count; b++)
        {
            var n = batch.CandidateCounts[b];
            var scores = new double[n];
            for (var i = 0; i < n; i++)
            {
                var c = batch.CandidateOffset(b, i);
                scores[i] = (_options.CtrExponent * Log(batch.Priors[(c * batch.PriorCount) + ctr]))
                    + (_options.CvrExponent * Log(batch.Priors[(c * batch.PriorCount) + cvr]))
                    + (_options.PriceExponent * Log(batch.Prices[c]));
            }

            var order = Enumerable.Range(0, n).ToArray();
            Array.Sort(order, (x, y) => scores[x] != scores[y] ? scores[y].CompareTo(scores[x]) : x.CompareTo(y));
            var indices = order[..Math.Min(batch.SlateSizes[b], n)];
            var itemScores = indices.Select(i => (float)Math.Exp(scores[i])).ToArray();
            slates[b] = [new Slate(indices, itemScores.Sum(), itemScores)];
        }

        return slates;
    }

    private static double Log(float v) => Math.Log(Math.Max(v, 1e-12f));

    private int Prior(FeatureSchema schema, string name) =>
        schema.PriorIndex(name) is var index and >= 0
            ? index
            : throw new ComponentException($"{Name}: prior '{name}' is not in the data's schema; available priors: {string.Join(", ", schema.PriorNames)}");
}
