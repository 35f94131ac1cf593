using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Plugins.SortGen;

/// <summary>Options of the <c>formula</c> generator: greedy item sorting by CTR^a · CVR^b · price^c (§1, the baseline of Table 1).</summary>
public sealed class FormulaOptions : IValidatableOptions
{
    /// <summary>Exponent a of CTR (YAML <c>ctr_exponent</c>, default 1). Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double CtrExponent { get; set; } = 1;

    /// <summary>Exponent b of CVR (YAML <c>cvr_exponent</c>, default 1). Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double CvrExponent { get; set; } = 1;

    /// <summary>Exponent c of the price (YAML <c>price_exponent</c>, default 0.5). Range: [-100, 100].</summary>
    [Range(-100.0, 100.0)]
    public double PriceExponent { get; set; } = 0.5;

    /// <summary>Prior read as CTR (YAML <c>ctr_prior</c>, default <c>ctr</c>).</summary>
    public string CtrPrior { get; set; } = "ctr";

    /// <summary>Prior read as CVR (YAML <c>cvr_prior</c>, default <c>cvr</c>).</summary>
    public string CvrPrior { get; set; } = "cvr";

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(CtrPrior) || string.IsNullOrWhiteSpace(CvrPrior))
        {
            yield return "ctr_prior and cvr_prior must name priors of the schema (e.g. ctr, cvr)";
        }
    }
}
