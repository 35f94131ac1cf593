using System.Globalization;
using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>
/// The score that orders one objective-specific queue (§3.2.1): a sum of weighted products of ranking-stage priors and
/// <c>price</c>, e.g. <c>ctr</c> (click), <c>ctr*cvr</c> (conversion), <c>ctr*cvr*price</c> (GMV) or the composite
/// <c>0.5*ctr + 0.5*ctr*cvr</c>.
/// </summary>
internal sealed class QueueExpression
{
    private readonly (double Weight, string[] Factors)[] _terms;

    private QueueExpression(string text, (double, string[])[] terms)
    {
        Text = text;
        _terms = terms;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; on a syntax error returns null and the reason.</summary>
    public static QueueExpression? TryParse(string text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a queue expression is empty";
            return null;
        }

        var terms = new List<(double, string[])>();
        foreach (var rawTerm in text.Split('+'))
        {
            var weight = 1d;
            var factors = new List<string>();
            foreach (var rawFactor in rawTerm.Split('*'))
            {
                var factor = rawFactor.Trim();
                if (factor.Length == 0)
                {
                    error = $"queue '{text}' has an empty factor";
                    return null;
                }

                if (double.TryParse(factor, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    weight *= number;
                }
                else if (factor.All(c => char.IsLetterOrDigit(c) || c == '_'))
                {
                    factors.Add(factor);
                }
                else
                {
                    error = $"queue '{text}' has factor '{factor}', which is neither a number nor a prior name or 'price'";
                    return null;
                }
            }

            terms.Add((weight, [.. factors]));
        }

        return new QueueExpression(text, [.. terms]);
    }

    /// <summary>Checks every name against the schema's priors (and <c>price</c>); a miss names what exists.</summary>
    public void Check(FeatureSchema schema, string component)
    {
        foreach (var (_, factors) in _terms)
        {
            foreach (var name in factors.Where(f => f != "price" && schema.PriorIndex(f) < 0))
            {
                throw new ComponentException(
                    $"{component}: queue '{Text}' names '{name}', which is not a prior of the data's schema; available: {string.Join(", ", schema.PriorNames)}, price");
            }
        }
    }

    /// <summary>The queue score of candidate <paramref name="i"/> of request <paramref name="b"/>.</summary>
    public double Score(RerankBatch batch, int b, int i)
    {
        var total = 0d;
        var c = batch.CandidateOffset(b, i);
        foreach (var (weight, factors) in _terms)
        {
            var product = weight;
            foreach (var name in factors)
            {
                product *= name == "price" ? batch.Prices[c] : batch.Priors[(c * batch.PriorCount) + batch.Schema.PriorIndex(name)];
            }

            total += product;
        }

        return total;
    }
}
