using System.Text;
using System.Text.Json;
using Rerank.Serving;
using Rerank.Serving.Json;

namespace Rerank.Serving.Tests.Json;

public sealed class RequestJsonReaderTests
{
    [Fact]
    public void TryRead_SyntheticRequests_BuildTheSameObjectAsTheSerializer()
    {
        var schema = DefaultSchema.Serving;
        for (var i = 0; i < 20; i++)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(SyntheticRequests.Create(schema, 50, 10, 3, i), ServingJson.Context.RerankRequestJson);
            RequestJsonReader.TryRead(body, out var fast).ShouldBeTrue();
            var slow = JsonSerializer.Deserialize(body, ServingJson.Context.RerankRequestJson);
            Canonical(fast!).ShouldBe(Canonical(slow!));
        }
    }

    [Fact]
    public void TryRead_EveryFieldIncludingNullsEscapesAndSpecialFloats_MatchesTheSerializer()
    {
        const string Json = """
            { "request_id": "r\u00e9-1", "user_id": null, "user_categorical": [1, 2], "user_dense": [0.5, "NaN"],
              "context_categorical": null, "context_dense": [], "slate_size": 3,
              "history": [ { "id": "h1", "categorical": [0], "dense": null, "priors": [0.1], "embedding": [1e-3, -2.5E2], "price": 9.99 } ],
              "candidates": [ { "id": "c1", "price": null, "priors": ["Infinity", "-Infinity"] }, null ] }
            """;
        var body = Encoding.UTF8.GetBytes(Json);
        RequestJsonReader.TryRead(body, out var fast).ShouldBeTrue();
        Canonical(fast!).ShouldBe(Canonical(JsonSerializer.Deserialize(body, ServingJson.Context.RerankRequestJson)!));
        fast!.RequestId.ShouldBe("ré-1");
        fast.Candidates![1].ShouldBeNull();
    }

    [Theory]
    [InlineData("""{ "slate_size": 3, "extra": 1 }""")]
    [InlineData("""{ "slate_size": 3.5 }""")]
    [InlineData("""{ "slate_size": "3" }""")]
    [InlineData("""{ "candidates": [ { "id": 5 } ] }""")]
    [InlineData("""{ "candidates": [ { "id": "a", "price": "NaN" } ] }""")]
    [InlineData("""{ "candidates": [ { "id": "a", "embedding": [true] } ] }""")]
    [InlineData("""{ "candidates": [ 1 ] }""")]
    [InlineData("""{ "slate_size": 3 } trailing""")]
    [InlineData("""{ "slate_size": 3, }""")]
    [InlineData("""[ ]""")]
    [InlineData("""null""")]
    [InlineData("""{ "slate_size": 3 """)]
    [InlineData("""{ /* comment */ "slate_size": 3 }""")]
    public void TryRead_AnythingOutsideTheHotSubset_LeavesItToTheSerializer(string json)
    {
        RequestJsonReader.TryRead(Encoding.UTF8.GetBytes(json), out var request).ShouldBeFalse();
        request.ShouldBeNull();
    }

    [Theory]
    [InlineData("{\"slate_size\": 1, \"slate_size\": 2}")]
    [InlineData("{\"candidates\": [{\"id\": \"a\", \"price\": 1, \"price\": 2}]}")]
    public void TryRead_RepeatedField_LeavesItToTheSerializer(string json)
    {
        RequestJsonReader.TryRead(System.Text.Encoding.UTF8.GetBytes(json), out var request).ShouldBeFalse();
        request.ShouldBeNull();
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize(json, ServingJson.Context.RerankRequestJson));
    }

    [Fact]
    public void TryReadBatch_RepeatedRequests_LeavesItToTheSerializer()
    {
        RequestJsonReader.TryReadBatch("{\"requests\": [], \"requests\": []}"u8, out var batch).ShouldBeFalse();
        batch.ShouldBeNull();
    }

    [Fact]
    public void TryReadBatch_Requests_BuildTheSameObjectAsTheSerializer()
    {
        var schema = DefaultSchema.Serving;
        var batch = new RerankBatchRequestJson { Requests = [.. Enumerable.Range(0, 3).Select(i => SyntheticRequests.Create(schema, 8, 3, 5, i))] };
        var body = JsonSerializer.SerializeToUtf8Bytes(batch, ServingJson.Context.RerankBatchRequestJson);

        RequestJsonReader.TryReadBatch(body, out var fast).ShouldBeTrue();

        var slow = JsonSerializer.Deserialize(body, ServingJson.Context.RerankBatchRequestJson)!;
        JsonSerializer.Serialize(fast!, ServingJson.Context.RerankBatchRequestJson).ShouldBe(JsonSerializer.Serialize(slow, ServingJson.Context.RerankBatchRequestJson));
        fast!.Requests!.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData("""{ "requests": null }""", true)]
    [InlineData("""{ "requests": [ null ] }""", true)]
    [InlineData("""{ }""", true)]
    [InlineData("""{ "requests": [ { "slate_size": 1 } ], "extra": 1 }""", false)]
    [InlineData("""{ "requests": [ 1 ] }""", false)]
    [InlineData("""{ "requests": [ { "bogus": 1 } ] }""", false)]
    [InlineData("""{ "requests": [] } x""", false)]
    public void TryReadBatch_EdgeCases_AcceptExactlyWhatTheSerializerReadsTheSameWay(string json, bool fast)
    {
        var body = Encoding.UTF8.GetBytes(json);

        RequestJsonReader.TryReadBatch(body, out var batch).ShouldBe(fast);

        if (fast)
        {
            JsonSerializer.Serialize(batch!, ServingJson.Context.RerankBatchRequestJson)
                .ShouldBe(JsonSerializer.Serialize(JsonSerializer.Deserialize(body, ServingJson.Context.RerankBatchRequestJson)!, ServingJson.Context.RerankBatchRequestJson));
        }
    }

    private static string Canonical(RerankRequestJson request) =>
        JsonSerializer.Serialize(request, ServingJson.Context.RerankRequestJson);
}
