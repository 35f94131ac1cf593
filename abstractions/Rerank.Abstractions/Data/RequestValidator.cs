using System.Globalization;

namespace Rerank.Abstractions;

/// <summary>Checks a request before it reaches any stage; every problem names the offending field.</summary>
public static class RequestValidator
{
    /// <summary>Returns every problem of <paramref name="request"/> against <paramref name="schema"/>, empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(RerankRequest request, FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<string>();
        var candidates = request.Candidates;
        if (candidates is null || candidates.Count == 0)
        {
            errors.Add($"request '{request.RequestId}': candidates is empty; at least one candidate is required");
            return errors;
        }

        if (request.SlateSize < 1)
        {
            errors.Add($"request '{request.RequestId}': slate_size is {request.SlateSize}; it must be at least 1");
        }
        else if (request.SlateSize > candidates.Count)
        {
            errors.Add($"request '{request.RequestId}': slate_size L = {request.SlateSize} exceeds the number of candidates N = {candidates.Count}");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var categorical = schema.CategoricalCount(FeatureSide.Item);
        var dense = schema.DenseWidth(FeatureSide.Item);
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var where = string.Create(CultureInfo.InvariantCulture, $"request '{request.RequestId}': candidates[{i}] (id '{c.Id}')");
            if (!ids.Add(c.Id))
            {
                errors.Add($"request '{request.RequestId}': duplicate candidate id '{c.Id}' at candidates[{i}]");
            }

            CheckFinite(errors, where, "priors", c.Priors);
            CheckFinite(errors, where, "dense", c.Dense);
            CheckFinite(errors, where, "embedding", c.Embedding);
            if (!float.IsFinite(c.Price))
            {
                errors.Add($"{where}: price is {c.Price}; it must be finite");
            }

            if (c.Priors.Length != schema.PriorNames.Length)
            {
                errors.Add($"{where}: has {c.Priors.Length} priors; the schema expects {schema.PriorNames.Length} ({string.Join(", ", schema.PriorNames)})");
            }

            if (c.Categorical.Length != categorical)
            {
                errors.Add($"{where}: has {c.Categorical.Length} categorical features; the schema expects {categorical}");
            }

            if (c.Dense.Length != dense)
            {
                errors.Add($"{where}: has {c.Dense.Length} dense values; the schema expects {dense}");
            }

            if (c.Embedding.Length != 0 && c.Embedding.Length != schema.EmbeddingWidth)
            {
                errors.Add($"{where}: embedding has width {c.Embedding.Length}; the schema expects {schema.EmbeddingWidth}");
            }
        }

        CheckFinite(errors, $"request '{request.RequestId}'", "user_dense", request.UserDense);
        CheckFinite(errors, $"request '{request.RequestId}'", "context_dense", request.ContextDense);
        return errors;
    }

    private static void CheckFinite(List<string> errors, string where, string field, float[] values)
    {
        for (var k = 0; k < values.Length; k++)
        {
            if (!float.IsFinite(values[k]))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: {field}[{k}] is {values[k]}; values must be finite (no NaN or infinity)"));
                return;
            }
        }
    }
}
