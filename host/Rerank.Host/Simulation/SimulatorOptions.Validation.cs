using System.Globalization;

namespace Rerank.Host.Simulation;

public sealed partial class SimulatorOptions
{
    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        void AtLeast(string key, double value, double min)
        {
            if (!(value >= min))
            {
                errors.Add(Fmt($"{key} must be at least {min}, got {value}"));
            }
        }

        void Positive(string key, double value)
        {
            if (!(value > 0))
            {
                errors.Add(Fmt($"{key} must be positive, got {value}"));
            }
        }

        void Between(string key, double value, double min, double max)
        {
            if (!(value >= min && value <= max))
            {
                errors.Add(Fmt($"{key} must be in [{min}, {max}], got {value}"));
            }
        }

        AtLeast("categories", Categories, 1);
        AtLeast("category_zipf", CategoryZipf, 0);
        AtLeast("embedding_dim", EmbeddingDim, 1);
        AtLeast("items", Items, 1);
        AtLeast("item_spread", ItemSpread, 0);
        AtLeast("price_spread", PriceSpread, 0);
        if (LogPriceMin > LogPriceMax)
        {
            errors.Add(Fmt($"log_price_min ({LogPriceMin}) must not exceed log_price_max ({LogPriceMax})"));
        }

        AtLeast("users", Users, 1);
        if (PriceSensitivityMin > PriceSensitivityMax)
        {
            errors.Add(Fmt($"price_sensitivity_min ({PriceSensitivityMin}) must not exceed price_sensitivity_max ({PriceSensitivityMax})"));
        }

        AtLeast("segments", Segments, 1);
        Between("stream_stay", StreamStay, 0, 1);
        Positive("stream_temperature", StreamTemperature);
        AtLeast("history_length", HistoryLength, 1);
        AtLeast("intent_window", IntentWindow, 1);
        if (IntentWindow > HistoryLength)
        {
            errors.Add(Fmt($"intent_window ({IntentWindow}) must not exceed history_length ({HistoryLength})"));
        }

        if (HistoryLength > StreamLength)
        {
            errors.Add(Fmt($"history_length ({HistoryLength}) must not exceed stream_length ({StreamLength})"));
        }

        Between("intent_taste_weight", IntentTasteWeight, 0, 1);
        AtLeast("candidates", Candidates, 1);
        if (Candidates > Items)
        {
            errors.Add(Fmt($"candidates ({Candidates}) must not exceed items ({Items})"));
        }

        AtLeast("slate_size", SlateSize, 1);
        if (SlateSize > Candidates)
        {
            errors.Add(Fmt($"slate_size L = {SlateSize} must not exceed candidates N = {Candidates}"));
        }

        Positive("candidate_temperature", CandidateTemperature);
        AtLeast("prior_noise", PriorNoise, 0);
        AtLeast("embedding_noise", EmbeddingNoise, 0);
        AtLeast("satiation_strength", SatiationStrength, 0);
        Between("satiation_decay", SatiationDecay, 0, 1);
        AtLeast("anchoring_strength", AnchoringStrength, 0);
        Positive("anchoring_min", AnchoringMin);
        if (AnchoringMin > 1 || AnchoringMax < 1)
        {
            errors.Add(Fmt($"anchoring_min ({AnchoringMin}) must be at most 1 and anchoring_max ({AnchoringMax}) at least 1"));
        }

        AtLeast("click_weight", ClickWeight, 0);
        AtLeast("conversion_weight", ConversionWeight, 0);
        AtLeast("gmv_weight", GmvWeight, 0);
        if (ClickWeight + ConversionWeight + GmvWeight <= 0)
        {
            errors.Add("click_weight, conversion_weight and gmv_weight are all 0; at least one must be positive");
        }

        Positive("logging_temperature", LoggingTemperature);
        AtLeast("train_requests", TrainRequests, 0);
        AtLeast("validation_requests", ValidationRequests, 0);
        AtLeast("test_requests", TestRequests, 0);
        return errors;
    }

    private static string Fmt(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
