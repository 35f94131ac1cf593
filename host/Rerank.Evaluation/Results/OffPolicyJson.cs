using System.Text.Json;
using Rerank.Evaluation.OffPolicy;

namespace Rerank.Evaluation.Results;

/// <summary>
/// The <c>"off_policy"</c> objects of results.json, written and read back. At the top:
/// <c>{"reward", "level", "bootstrap_samples", "clip", "min_ess", "notes": [...]}</c>; in each row, per estimator:
/// <c>{"estimate", "std" (several seeds), "low", "high", "ess", "clipped", "requests", "truth", "estimate_minus_truth",
/// "covered", "too_few_effective_samples", "seeds": [{"seed", "estimate", "low", "high", "ess", "clipped", "requests",
/// "truth"}]}</c>: the summary over seeds (means; the smallest ESS; summed counts; <c>covered</c> counts the seeds whose
/// interval holds their truth, null without truth) and each seed's own estimate.
/// </summary>
public static class OffPolicyJson
{
    /// <summary>Writes <c>"off_policy": {…}</c>, the run's settings.</summary>
    public static void WriteSettings(Utf8JsonWriter w, OffPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(settings);
        w.WriteStartObject("off_policy");
        w.WriteString("reward", settings.Reward);
        w.WriteNumber("level", settings.Level);
        w.WriteNumber("bootstrap_samples", settings.BootstrapSamples);
        Number(w, "clip", settings.Clip);
        w.WriteNumber("min_ess", settings.MinEss);
        w.WriteString("interval", "percentile bootstrap over the logged test requests, per seed");
        w.WriteStartArray("notes");
        foreach (var note in settings.Notes)
        {
            w.WriteStringValue(note);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes a row's <c>"off_policy": {estimator: {…}}</c>.</summary>
    public static void WriteCells(Utf8JsonWriter w, IReadOnlyList<OffPolicyCell> cells, double minEss)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(cells);
        w.WriteStartObject("off_policy");
        foreach (var cell in cells)
        {
            w.WriteStartObject(cell.Estimator);
            Number(w, "estimate", cell.Value);
            if (cell.Std is { } std)
            {
                Number(w, "std", std);
            }

            Number(w, "low", cell.Low);
            Number(w, "high", cell.High);
            Number(w, "ess", cell.EffectiveSampleSize);
            w.WriteNumber("clipped", cell.Clipped);
            w.WriteNumber("requests", cell.Requests);
            Number(w, "truth", cell.Truth);
            Number(w, "estimate_minus_truth", cell.Bias);
            if (cell.Covered is { } covered)
            {
                w.WriteNumber("covered", covered);
            }
            else
            {
                w.WriteNull("covered");
            }

            w.WriteBoolean("too_few_effective_samples", cell.TooFewSamples(minEss));
            w.WriteStartArray("seeds");
            foreach (var run in cell.Runs)
            {
                w.WriteStartObject();
                w.WriteNumber("seed", run.Seed);
                Number(w, "estimate", run.Estimate.Value);
                Number(w, "low", run.Estimate.Low);
                Number(w, "high", run.Estimate.High);
                Number(w, "ess", run.Estimate.EffectiveSampleSize);
                w.WriteNumber("clipped", run.Estimate.Clipped);
                w.WriteNumber("requests", run.Estimate.Requests);
                Number(w, "truth", run.Truth);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>The settings of a results.json root; null when the run had no <c>off_policy</c>.</summary>
    public static OffPolicySettings? ReadSettings(JsonElement root)
    {
        if (!root.TryGetProperty("off_policy", out var o) || o.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new OffPolicySettings(
            o.GetProperty("reward").GetString() ?? "",
            o.GetProperty("level").GetDouble(),
            o.GetProperty("bootstrap_samples").GetInt32(),
            Double(o, "clip") ?? double.PositiveInfinity,
            o.GetProperty("min_ess").GetDouble(),
            [.. o.GetProperty("notes").EnumerateArray().Select(n => n.GetString() ?? "")]);
    }

    /// <summary>A row's cells, each with its per-seed runs (clip from <paramref name="settings"/>); null when the row has none.</summary>
    public static IReadOnlyList<OffPolicyCell>? ReadCells(JsonElement row, OffPolicySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!row.TryGetProperty("off_policy", out var o) || o.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return [.. o.EnumerateObject().Select(e => new OffPolicyCell(e.Name, [.. e.Value.GetProperty("seeds").EnumerateArray().Select(s => new OffPolicyRun(
            s.GetProperty("seed").GetUInt64(),
            new OffPolicyEstimate(
                e.Name,
                Double(s, "estimate") ?? double.NaN,
                Double(s, "low") ?? double.NaN,
                Double(s, "high") ?? double.NaN,
                s.GetProperty("requests").GetInt32(),
                Double(s, "ess") ?? double.NaN,
                settings.Clip,
                s.GetProperty("clipped").GetInt32()),
            Double(s, "truth")))]))];
    }

    private static double? Double(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
