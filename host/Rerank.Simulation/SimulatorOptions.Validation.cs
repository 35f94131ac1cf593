using System.Globalization;
using Rerank.Abstractions;

namespace Rerank.Simulation;

public sealed partial class SimulatorOptions
{
    /// <summary>
    /// Every value against its <c>[Range]</c> (options built in code, e.g. by <c>bench pipeline</c>, are not bound, so the
    /// binder has not checked them), then the rules between values.
    /// </summary>
    public IEnumerable<string> Validate()
    {
        var errors = new List<string>(OptionsBinder.RangeErrors(this));
        if (LogPriceMin > LogPriceMax)
        {
            errors.Add(Fmt($"log_price_min ({LogPriceMin}) must not exceed log_price_max ({LogPriceMax})"));
        }

        if (PriceSensitivityMin > PriceSensitivityMax)
        {
            errors.Add(Fmt($"price_sensitivity_min ({PriceSensitivityMin}) must not exceed price_sensitivity_max ({PriceSensitivityMax})"));
        }

        if (IntentWindow > HistoryLength)
        {
            errors.Add(Fmt($"intent_window ({IntentWindow}) must not exceed history_length ({HistoryLength})"));
        }

        if (HistoryLength > StreamLength)
        {
            errors.Add(Fmt($"history_length ({HistoryLength}) must not exceed stream_length ({StreamLength})"));
        }

        if (Candidates > Items)
        {
            errors.Add(Fmt($"candidates ({Candidates}) must not exceed items ({Items})"));
        }

        if (SlateSize > Candidates)
        {
            errors.Add(Fmt($"slate_size L = {SlateSize} must not exceed candidates N = {Candidates}"));
        }

        if (ClickWeight + ConversionWeight + GmvWeight <= 0)
        {
            errors.Add("click_weight, conversion_weight and gmv_weight are all 0; at least one must be positive");
        }

        return errors;
    }

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
