using Rerank.Abstractions;
using Rerank.Simulation.Logging;

namespace Rerank.Simulation.Logs;

/// <summary>Builds one request of a checked log (second pass): the request, its logged slate and feedback, and its recorded policy.</summary>
internal sealed class LogRequestBuilder(LogLayout layout, LogScan scan, FeatureSchema schema)
{
    private readonly Dictionary<int, Item> _history = [];

    public LoggedImpression Build(List<LoggedRow> rows)
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
            candidates[i] = new Item
            {
                Id = row.ItemId!,
                Categorical = [scan.Items[row.ItemId!], .. Ids(scan.ItemCategorical, row.ItemCategorical)],
                Dense = row.ItemDense,
                Priors = row.Priors,
                Embedding = row.Embedding,
                Price = row.Price ?? 0f,
            };
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
        var logged = new LoggedList(request, shown, clicks, conversions);
        var policy = new RecordedLoggingPolicy(candidates.Length, shown, conditional, marginal, first.SlatePropensity);
        return new LoggedImpression(logged, policy, gmv, first.Timestamp);
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
