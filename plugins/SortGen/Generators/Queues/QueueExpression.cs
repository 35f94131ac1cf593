using System.Globalization;
using Rerank.Abstractions;
using Rerank.Engine.Onnx;

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

    /// <summary>
    /// The queue score of every candidate in <paramref name="graph"/>, <c>[batch, n]</c> (float32, where
    /// <see cref="Score"/> is float64): <paramref name="priors"/> <c>[batch, n, P]</c> (null when the schema has none),
    /// <paramref name="prices"/> <c>[batch, n]</c>, <paramref name="zeros"/> <c>[batch, n]</c> for constant terms.
    /// </summary>
    public OnnxValue ToOnnx(OnnxGraph graph, FeatureSchema schema, OnnxValue? priors, OnnxValue prices, OnnxValue zeros)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(schema);
        OnnxValue? total = null;
        foreach (var (weight, factors) in _terms)
        {
            var product = graph.Add(zeros, graph.Scalar((float)weight));
            foreach (var name in factors)
            {
                product = graph.Mul(product, name == "price" ? prices : graph.Gather(priors!, graph.Scalar((long)schema.PriorIndex(name)), axis: 2));
            }

            total = total is null ? product : graph.Add(total, product);
        }

        return total!;
    }
}
