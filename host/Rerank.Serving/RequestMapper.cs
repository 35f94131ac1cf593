using System.Globalization;
using Rerank.Abstractions;
using Rerank.Serving.Json;

namespace Rerank.Serving;

/// <summary>
/// Turns a JSON request into a <see cref="RerankRequest"/> and checks it: required fields, the candidate limit, array widths
/// and categorical ranges against the schema, then <see cref="RequestValidator"/> (NaN/inf, duplicate ids, L &gt; N, empty
/// candidates). Every problem names the offending field.
/// </summary>
internal static class RequestMapper
{
    /// <summary>Maps and validates; returns null with <paramref name="errors"/> filled when the request cannot be served.</summary>
    public static RerankRequest? Map(RerankRequestJson? json, string where, FeatureSchema schema, LimitSettings limits, List<string> errors)
    {
        var before = errors.Count;
        if (json is null)
        {
            errors.Add($"{where}: the body is null; expected a JSON object");
            return null;
        }

        var id = json.RequestId ?? "";
        var at = id.Length == 0 ? where : $"{where} (request '{id}')";
        if (json.Candidates is null)
        {
            errors.Add($"{at}: candidates is required");
        }
        else if (json.Candidates.Count > limits.MaxCandidates)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: candidates has {json.Candidates.Count} items; the limit is {limits.MaxCandidates}"));
        }

        if (json.SlateSize is null)
        {
            errors.Add($"{at}: slate_size is required");
        }

        CheckCategorical(errors, at, "user_categorical", json.UserCategorical, schema.Select(FeatureSide.User, FeatureKind.Categorical));
        CheckCategorical(errors, at, "context_categorical", json.ContextCategorical, schema.Select(FeatureSide.Context, FeatureKind.Categorical));
        CheckWidth(errors, at, "user_dense", json.UserDense, schema.DenseWidth(FeatureSide.User));
        CheckWidth(errors, at, "context_dense", json.ContextDense, schema.DenseWidth(FeatureSide.Context));
        var itemFields = schema.Select(FeatureSide.Item, FeatureKind.Categorical);
        var candidates = Items(json.Candidates, "candidates", at, itemFields, errors);
        var history = Items(json.History, "history", at, itemFields, errors);
        if (errors.Count > before)
        {
            return null;
        }

        var request = new RerankRequest
        {
            RequestId = id,
            UserId = json.UserId ?? "",
            UserCategorical = json.UserCategorical ?? [],
            UserDense = json.UserDense ?? [],
            ContextCategorical = json.ContextCategorical ?? [],
            ContextDense = json.ContextDense ?? [],
            History = history,
            Candidates = candidates,
            SlateSize = json.SlateSize!.Value,
        };
        foreach (var problem in RequestValidator.Validate(request, schema))
        {
            errors.Add(where == "body" ? problem : $"{where}: {problem}");
        }

        return errors.Count > before ? null : request;
    }

    private static Item[] Items(List<ItemJson>? items, string field, string at, IReadOnlyList<FeatureField> categorical, List<string> errors)
    {
        if (items is null)
        {
            return [];
        }

        var result = new Item[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var json = items[i];
            if (json is null)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: {field}[{i}] is null"));
                continue;
            }

            if (string.IsNullOrEmpty(json.Id))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: {field}[{i}].id is required"));
            }

            if (!FitsCategorical(json.Categorical, categorical))
            {
                CheckCategorical(errors, string.Create(CultureInfo.InvariantCulture, $"{at}: {field}[{i}]"), "categorical", json.Categorical, categorical);
            }

            result[i] = new Item
            {
                Id = json.Id ?? "",
                Categorical = json.Categorical ?? [],
                Dense = json.Dense ?? [],
                Priors = json.Priors ?? [],
                Embedding = json.Embedding ?? [],
                Price = json.Price ?? 0f,
            };
        }

        return result;
    }

    /// <summary>The fast path: every id in range (an absent array is left to the validator's count check).</summary>
    private static bool FitsCategorical(int[]? values, IReadOnlyList<FeatureField> fields)
    {
        if (values is null || values.Length == 0)
        {
            return true;
        }

        if (values.Length != fields.Count)
        {
            return false;
        }

        for (var k = 0; k < values.Length; k++)
        {
            if ((uint)values[k] >= (uint)fields[k].Size)
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckCategorical(List<string> errors, string where, string field, int[]? values, IReadOnlyList<FeatureField> fields)
    {
        values ??= [];
        if (values.Length != fields.Count)
        {
            if (values.Length != 0 || fields.Count == 0)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: {field} has {values.Length} values; the schema expects {fields.Count} ({string.Join(", ", fields.Select(f => f.Name))})"));
            }

            return;
        }

        for (var k = 0; k < values.Length; k++)
        {
            if ((uint)values[k] >= (uint)fields[k].Size)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: {field}[{k}] ({fields[k].Name}) is {values[k]}; it must be in [0, {fields[k].Size})"));
            }
        }
    }

    private static void CheckWidth(List<string> errors, string where, string field, float[]? values, int width)
    {
        var length = values?.Length ?? 0;
        if (length != 0 && length != width)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: {field} has {length} values; the schema expects {width}"));
        }
    }
}
