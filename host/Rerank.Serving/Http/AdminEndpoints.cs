using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Rerank.Runtime.Plugins;
using Rerank.Serving.Json;

namespace Rerank.Serving.Http;

/// <summary>
/// <c>POST /admin/reload</c> and <c>GET /admin/plugins</c>, behind a bearer token. With no token configured they answer 404,
/// as if they did not exist.
/// </summary>
internal sealed class AdminEndpoints
{
    private readonly ServingRuntime _runtime;
    private readonly byte[]? _token;

    public AdminEndpoints(ServingRuntime runtime, string? token)
    {
        _runtime = runtime;
        _token = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(token);
    }

    public bool Enabled => _token is not null;

    public async Task ReloadAsync(HttpContext context)
    {
        if (await RefuseAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var result = await _runtime.ReloadAsync("admin").ConfigureAwait(false);
        var json = new ReloadResultJson(result.Ok, result.Generation, result.Error, result.Ms, result.NotReady);
        await RerankHandler.WriteAsync(context, result.Ok ? StatusCodes.Status200OK : StatusCodes.Status409Conflict, json, ServingJson.Context.ReloadResultJson).ConfigureAwait(false);
    }

    public async Task PluginsAsync(HttpContext context)
    {
        if (await RefuseAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var graph = _runtime.Current;
        var history = _runtime.History;
        var status = new AdminStatusJson(
            graph?.Generation ?? 0,
            graph?.LoadedAt ?? default,
            _runtime.PluginsFolder,
            _runtime.PipelinesFolder,
            graph?.Settings.SchemaSource ?? "",
            graph is null ? [] : [.. graph.Plugins.Select(Plugin)],
            graph is null ? [] : [.. graph.Pipelines.Values.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => Pipeline(p))],
            graph is null ? [] : [.. graph.Splits.Values.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => new SplitJson(s.Name, [.. s.Arms.Select(a => new SplitArmJson(a.Name, a.Pipeline, a.Weight))]))],
            history.Count == 0 ? null : history[^1],
            history,
            graph?.NotReady);
        await RerankHandler.WriteAsync(context, StatusCodes.Status200OK, status, ServingJson.Context.AdminStatusJson).ConfigureAwait(false);
    }

    private static PluginJson Plugin(LoadedPlugin p) =>
        new(p.Id, p.Version?.ToNormalizedString(), p.Folder, p.Status.ToString().ToLowerInvariant(), p.Error, [.. p.Components.Select(c => $"{c.Kind.ToString().ToLowerInvariant()}/{c.Name}")]);

    private static PipelineJson Pipeline(ServingPipeline p) =>
        new(p.Name, p.Pipeline.Spec.Description, [.. p.Pipeline.Stages.Select(s => s.Describe())], p.Plugins, p.Batcher.Settings.MaxBatchSize, p.Batcher.Settings.MaxQueueDelayMicroseconds);

    /// <summary>Answers 404 when admin is off and 401 without the right bearer token; true when the request was refused.</summary>
    private async Task<bool> RefuseAsync(HttpContext context)
    {
        if (_token is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()) : [];
        if (CryptographicOperations.FixedTimeEquals(given, _token))
        {
            return false;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await RerankHandler.WriteAsync(context, StatusCodes.Status401Unauthorized, new ErrorJson { Error = "admin endpoints need 'Authorization: Bearer <token>' with the configured token" }, ServingJson.Context.ErrorJson).ConfigureAwait(false);
        return true;
    }
}
