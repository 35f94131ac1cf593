using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Plugins;
using Rerank.Serving;

namespace Rerank.Host.Tests.Serving;

/// <summary>An in-process server (TestHost) over a temp pipelines folder with the probe plugin in versions 1.0.0 and 1.1.0.</summary>
internal sealed class ServingHarness : IAsyncDisposable
{
    public const string AdminToken = "test-token";

    private ServingHarness(string folder, RerankServer server)
    {
        Folder = folder;
        Server = server;
        Client = server.App.GetTestClient();
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public string Folder { get; }

    public RerankServer Server { get; }

    public HttpClient Client { get; }

    public ServingRuntime Runtime => Server.Runtime;

    /// <summary>The simplest pipeline: one generator.</summary>
    public static string Pipeline(string name, string use) => $"name: {name}\nstages:\n  - generate: {{ use: {use} }}\n";

    public static async Task<ServingHarness> StartAsync(IReadOnlyDictionary<string, string> files, Func<PluginCatalog>? catalog = null, string? adminToken = AdminToken, string? folder = null, bool strict = false, PathPolicy? paths = null)
    {
        folder ??= NewFolder();
        Directory.CreateDirectory(folder);
        if (!files.ContainsKey("serve.yaml"))
        {
            // Tests that are not about deadlines must not fall back when the test machine is busy (CI runs tests in parallel).
            File.WriteAllText(Path.Combine(folder, "serve.yaml"), "limits: { deadline_ms: 10000 }\n");
        }

        foreach (var (name, text) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), text);
        }

        var server = RerankServer.Create(
            new ServerOptions
            {
                PipelinesFolder = folder,
                Catalog = catalog ?? InProcessCatalog,
                Watch = false,
                AdminToken = adminToken ?? "",
                Strict = strict,
                Overrides = new ServeOverrides { Paths = paths },
            },
            b => b.WebHost.UseTestServer());
        await server.StartAsync();
        return new ServingHarness(folder, server);
    }

    public static PluginCatalog InProcessCatalog() => PluginCatalog.FromPlugins(new ProbePlugin("1.0.0"), new ProbePlugin("1.1.0"));

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

    public Task<HttpResponseMessage> PostAsync(string path, JsonNode body) =>
        Client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostRawAsync(string path, string body) =>
        Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static string[] Ids(JsonNode response) => [.. response["items"]!.AsArray().Select(i => (string)i!["id"]!)];

    public async Task<JsonNode> ReloadAsync()
    {
        using var response = await Client.PostAsync("/admin/reload", null);
        return await JsonAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the folder briefly; temp folders are cleaned by the OS.
        }
    }
}
