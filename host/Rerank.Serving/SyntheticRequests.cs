using System.Globalization;
using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Serving.Json;

namespace Rerank.Serving;

/// <summary>Seeded, schema-shaped requests for warm-up and benchmarks: random ids within vocabularies, priors in (0, 1), unit-ish embeddings.</summary>
public static class SyntheticRequests
{
    /// <summary>
    /// Request <paramref name="index"/> of the seeded sequence as the JSON body of <c>POST /v1/pipelines/{name}:rerank</c>:
    /// <paramref name="candidates"/> candidates following <paramref name="schema"/>, a slate of <paramref name="slateSize"/>.
    /// </summary>
    public static byte[] Body(FeatureSchema schema, int candidates, int slateSize, ulong seed, int index) =>
        JsonSerializer.SerializeToUtf8Bytes(Create(schema, candidates, slateSize, seed, index), ServingJson.Context.RerankRequestJson);

    internal static RerankRequestJson Create(FeatureSchema schema, int candidates, int slateSize, ulong seed, int index)
    {
        var random = new Random((int)(StableHash.Mix(seed, (ulong)index) & int.MaxValue));
        var user = schema.Select(FeatureSide.User, FeatureKind.Categorical);
        var context = schema.Select(FeatureSide.Context, FeatureKind.Categorical);
        var item = schema.Select(FeatureSide.Item, FeatureKind.Categorical);
        var items = new ItemJson[candidates];
        for (var i = 0; i < candidates; i++)
        {
            items[i] = new ItemJson
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"item-{index}-{i}"),
                Categorical = [.. item.Select(f => random.Next(f.Size))],
                Dense = Floats(random, schema.DenseWidth(FeatureSide.Item), 1f),
                Priors = [.. schema.PriorNames.Select(_ => (float)Math.Round(0.01 + (0.5 * random.NextDouble()), 4))],
                Embedding = Floats(random, schema.EmbeddingWidth, 0.5f),
                Price = (float)Math.Round(5 + (95 * random.NextDouble()), 2),
            };
        }

        return new RerankRequestJson
        {
            RequestId = string.Create(CultureInfo.InvariantCulture, $"req-{index}"),
            UserId = string.Create(CultureInfo.InvariantCulture, $"user-{random.Next(10_000)}"),
            UserCategorical = [.. user.Select(f => random.Next(f.Size))],
            UserDense = Floats(random, schema.DenseWidth(FeatureSide.User), 1f),
            ContextCategorical = [.. context.Select(f => random.Next(f.Size))],
            ContextDense = Floats(random, schema.DenseWidth(FeatureSide.Context), 1f),
            History = [],
            Candidates = [.. items],
            SlateSize = slateSize,
        };
    }

    /// <summary>The same request as a validated <see cref="RerankRequest"/> (for warm-up, bypassing HTTP).</summary>
    internal static RerankRequest CreateRequest(FeatureSchema schema, int candidates, int slateSize, ulong seed, int index)
    {
        var errors = new List<string>();
        var limits = LimitSettings.Default with { MaxCandidates = int.MaxValue };
        return RequestMapper.Map(Create(schema, candidates, slateSize, seed, index), "warm-up", schema, limits, errors)
            ?? throw new InvalidOperationException("synthetic request does not fit the schema: " + string.Join("; ", errors));
    }

    private static float[] Floats(Random random, int width, float scale)
    {
        var values = new float[width];
        for (var k = 0; k < width; k++)
        {
            // Four decimals, as clients typically send features: keeps bodies and parse times realistic.
            values[k] = (float)Math.Round(((random.NextDouble() * 2) - 1) * scale, 4);
        }

        return values;
    }
}
