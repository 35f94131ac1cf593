using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Plugins;
using Rerank.Serving;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

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

    public static async Task<ServingHarness> StartAsync(IReadOnlyDictionary<string, string> files, Func<PluginCatalog>? catalog = null, string? adminToken = AdminToken, string? folder = null, bool strict = false, PathPolicy? paths = null)
    {
        folder ??= ServingFixtures.NewFolder();
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
                Catalog = catalog ?? ProbePlugin.Catalog,
                Watch = false,
                AdminToken = adminToken ?? "",
                Strict = strict,
                Overrides = new ServeOverrides { Paths = paths },
            },
            b => b.WebHost.UseTestServer());
        await server.StartAsync();
        return new ServingHarness(folder, server);
    }

    public Task<HttpResponseMessage> PostAsync(string path, JsonNode body) =>
        Client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostRawAsync(string path, string body) =>
        Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    public async Task<JsonNode> ReloadAsync()
    {
        using var response = await Client.PostAsync("/admin/reload", null);
        return await ServingFixtures.JsonAsync(response);
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
