using Rerank.Abstractions;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logging;

namespace Rerank.Simulation.Logs;

/// <summary>
/// Builds one request of a checked log (second pass): the request, its logged slate and feedback, and, for the test
/// split, what is known of its logging policy: the declared one (<c>logging_policy</c>), checked against the recorded
/// propensities where the file has them, else the recorded columns.
/// </summary>
internal sealed class LogRequestBuilder(LogLayout layout, LogScan scan, FeatureSchema schema, LogsOptions options, LogProblems problems, ulong seed)
{
    /// <summary>How far a recorded propensity may be from the declared policy's: |a − b| ≤ 1e-4·max(a, b) + 1e-6 (float storage, rounded text).</summary>
    public const double RelativeTolerance = 1e-4;

    /// <summary>The absolute part of the tolerance.</summary>
    public const double AbsoluteTolerance = 1e-6;

    private readonly Dictionary<int, Item> _history = [];
    private readonly Dictionary<int, Item> _candidates = [];
    private readonly int _logPrior = options.LoggingPolicy?.LogPrior is { } prior ? Array.IndexOf(options.Features.Priors, prior) : -1;

    /// <summary>A training or validation request: the logged list only.</summary>
    public LoggedList BuildList(List<LoggedRow> rows) => Assemble(rows).Logged;

    /// <summary>A test request: the logged impression with its logging policy.</summary>
    public LoggedImpression Build(List<LoggedRow> rows)
    {
        var (logged, conditional, marginal, gmv) = Assemble(rows);
        var first = rows[0];
        ILoggingPolicy policy = options.LoggingPolicy is { } declared
            ? Declared(declared, rows, logged, conditional)
            : new RecordedLoggingPolicy(logged.Request.Candidates.Count, logged.Exposed, conditional, marginal, first.SlatePropensity);
        return new LoggedImpression(logged, policy, gmv, first.Timestamp);
    }

    private (LoggedList Logged, double[]? Conditional, double[]? Marginal, float[]? Gmv) Assemble(List<LoggedRow> rows)
    {
        var first = rows[0];
        var candidates = new Item[rows.Count];
        var length = rows.Count(r => r.Shown);
        var shown = new int[length];
        var clicks = new float[length];
        var conversions = new float[length];
        var gmv = layout.Gmv >= 0 ? new float[length] : null;
        var conditional = layout.Propensity >= 0 ? new double[length] : null;
        var marginal = layout.MarginalPropensity >= 0 ? new double[length] : null;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            candidates[i] = Candidate(row);
            if (row.Position is not { } p)
            {
                continue;
            }

            var t = p - 1;
            shown[t] = i;
            clicks[t] = row.Click == true ? 1f : 0f;
            conversions[t] = row.Conversion == true ? 1f : 0f;
            gmv?[t] = row.Gmv ?? 0f;
            conditional?[t] = row.Propensity!.Value;
            marginal?[t] = row.MarginalPropensity!.Value;
        }

        var request = new RerankRequest
        {
            RequestId = first.RequestId!,
            UserId = first.UserId ?? "",
            UserCategorical = [.. scan.Users is { } users ? [users[first.UserId!]] : Array.Empty<int>(), .. Ids(scan.UserCategorical, first.UserCategorical)],
            UserDense = [.. first.UserDense.Select(v => v!.Value)],
            ContextCategorical = Ids(scan.ContextCategorical, first.ContextCategorical),
            ContextDense = [.. first.ContextDense.Select(v => v!.Value)],
            History = [.. (first.History ?? []).Select(HistoryItem)],
            Candidates = candidates,
            SlateSize = length,
        };
        return (new LoggedList(request, shown, clicks, conversions), conditional, marginal, gmv);
    }

    /// <summary>
    /// The declared Plackett–Luce policy of a request (its Monte Carlo seed from the experiment's seed and the request id,
    /// as the simulator's logger), after checking the file's recorded <c>propensity</c> of each shown row and
    /// <c>slate_propensity</c> against it: a mismatch is an error naming the row and column, since estimates built on a
    /// policy the log contradicts would be silently wrong. Recorded marginals are not checked (they may need Monte Carlo).
    /// </summary>
    private PlackettLuceLoggingPolicy Declared(LogLoggingPolicyOptions declared, List<LoggedRow> rows, LoggedList logged, double[]? conditional)
    {
        var scores = new double[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            if (_logPrior >= 0)
            {
                var prior = rows[i].Priors[_logPrior];
                if (!(prior > 0))
                {
                    problems.Add(rows[i].Number, layout.Name(layout.Priors[_logPrior]), $"is {prior}; logging_policy.log_prior needs every value above 0 (the score is its log)");
                    prior = float.Epsilon;
                }

                scores[i] = Math.Log(prior);
            }
            else
            {
                scores[i] = rows[i].LoggingScore!.Value;
            }
        }

        var first = rows[0];
        var policy = new PlackettLuceLoggingPolicy(scores, declared.Temperature, logged.Exposed.Length, SimulatedImpressions.PolicySeed(seed, first.RequestId!), declared.Samples);
        if (conditional is null && first.SlatePropensity is null)
        {
            return policy;
        }

        var prefixes = policy.PrefixProbabilities(logged.Exposed)!;
        for (var t = 0; conditional is not null && t < conditional.Length; t++)
        {
            var expected = t == 0 ? prefixes[0] : prefixes[t] / prefixes[t - 1];
            if (!Close(conditional[t], expected))
            {
                var row = rows[logged.Exposed[t]];
                problems.Add(row.Number, layout.Name(layout.Propensity), $"records {Format(conditional[t])}, but the declared logging policy gives {Format(expected)} for this item at position {t + 1} given the items above it; check logging_policy (type, scores, temperature) or the column");
                break;
            }
        }

        if (first.SlatePropensity is { } slate && !Close(slate, prefixes[^1]))
        {
            problems.Add(first.Number, layout.Name(layout.SlatePropensity), $"records {Format(slate)}, but the declared logging policy gives {Format(prefixes[^1])} for the shown slate; check logging_policy (type, scores, temperature) or the column");
        }

        return policy;
    }

    private static bool Close(double recorded, double expected) =>
        Math.Abs(recorded - expected) <= (RelativeTolerance * Math.Max(recorded, expected)) + AbsoluteTolerance;

    private static string Format(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A candidate row's item. Rows of one item share its id string and, where they repeat the item's first row, its
    /// categorical, dense and embedding arrays (and the whole <see cref="Item"/> when the priors and price repeat too):
    /// a log holds each item in many requests, and a fresh object per row was most of the memory a read log takes.
    /// </summary>
    private Item Candidate(LoggedRow row)
    {
        var item = scan.Items[row.ItemId!];
        var price = row.Price ?? 0f;
        if (!_candidates.TryGetValue(item, out var known))
        {
            known = new Item
            {
                Id = row.ItemId!,
                Categorical = [item, .. Ids(scan.ItemCategorical, row.ItemCategorical)],
                Dense = row.ItemDense,
                Priors = row.Priors,
                Embedding = row.Embedding,
                Price = price,
            };
            _candidates.Add(item, known);
            return known;
        }

        var sameFeatures = SameIds(known.Categorical.AsSpan(1), scan.ItemCategorical, row.ItemCategorical)
            && known.Dense.AsSpan().SequenceEqual(row.ItemDense)
            && known.Embedding.AsSpan().SequenceEqual(row.Embedding);
        if (sameFeatures && known.Price == price && known.Priors.AsSpan().SequenceEqual(row.Priors))
        {
            return known;
        }

        return new Item
        {
            Id = known.Id,
            Categorical = sameFeatures ? known.Categorical : [item, .. Ids(scan.ItemCategorical, row.ItemCategorical)],
            Dense = sameFeatures ? known.Dense : row.ItemDense,
            Priors = row.Priors,
            Embedding = sameFeatures ? known.Embedding : row.Embedding,
            Price = price,
        };
    }

    private static bool SameIds(ReadOnlySpan<int> ids, LogVocabulary[] vocabularies, string?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (ids[i] != vocabularies[i][values[i]!])
            {
                return false;
            }
        }

        return true;
    }

    private static int[] Ids(LogVocabulary[] vocabularies, string?[] values)
    {
        var ids = new int[values.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = vocabularies[i][values[i]!];
        }

        return ids;
    }

    /// <summary>A history entry: the item's features from its first candidate row; an item never a candidate gets the extra "unknown" id of each categorical column and zeros.</summary>
    private Item HistoryItem(string id)
    {
        var item = scan.Items[id];
        if (_history.TryGetValue(item, out var known))
        {
            return known;
        }

        var made = scan.Catalogue.TryGetValue(item, out var entry)
            ? new Item { Id = id, Categorical = [item, .. entry.Categorical], Dense = entry.Dense, Embedding = entry.Embedding, Price = entry.Price }
            : new Item
            {
                Id = id,
                Categorical = [item, .. scan.ItemCategorical.Select(v => v.Count)],
                Dense = new float[schema.DenseWidth(FeatureSide.Item)],
                Embedding = new float[schema.EmbeddingWidth],
            };
        _history[item] = made;
        return made;
    }
}
