using System.Globalization;
using System.Text.Json.Nodes;

namespace Rerank.Testing;

/// <summary>Files and requests for serving tests, in process (TestHost) or against a real <c>rerank serve</c>.</summary>
public static class ServingFixtures
{
    /// <summary>The simplest pipeline: one generator.</summary>
    public static string Pipeline(string name, string use) => $"name: {name}\nstages:\n  - generate: {{ use: {use} }}\n";

    /// <summary>A fresh temp folder for a pipelines folder.</summary>
    public static string NewFolder() => Directory.CreateTempSubdirectory("rerank-serve-test-").FullName;

    /// <summary>A valid request under the default schema: candidates c0..c{n-1} with ctr descending from c{n-1}.</summary>
    public static JsonObject Request(int n = 5, int slate = 3, string user = "u1", string id = "r1", Func<int, string>? candidateId = null)
    {
        var candidates = new JsonArray();
        for (var i = 0; i < n; i++)
        {
            candidates.Add(new JsonObject
            {
                ["id"] = candidateId?.Invoke(i) ?? "c" + i.ToString(CultureInfo.InvariantCulture),
                ["categorical"] = new JsonArray(i, i % 5),
                ["dense"] = new JsonArray(0.5f),
                ["priors"] = new JsonArray(0.01f * (i + 1), 0.001f),
                ["price"] = 10 + i,
            });
        }

        return new JsonObject
        {
            ["request_id"] = id,
            ["user_id"] = user,
            ["user_categorical"] = new JsonArray(7, 1),
            ["candidates"] = candidates,
            ["slate_size"] = slate,
        };
    }

    /// <summary>The body of <paramref name="response"/> as JSON.</summary>
    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>The item ids of a rerank response, in slate order.</summary>
    public static string[] Ids(JsonNode response) => [.. response["items"]!.AsArray().Select(i => (string)i!["id"]!)];
}
