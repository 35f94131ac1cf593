using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rerank.Abstractions;
using Rerank.Serving.Http;
using Rerank.Serving.Json;

namespace Rerank.Serving.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: one static page (HTML, CSS and script embedded in this assembly, nothing fetched from
/// elsewhere) that reads <c>/dashboard/status</c>, polls <c>/metrics</c>, sends samples to the rerank endpoints, and
/// reloads through <c>/admin/reload</c> when the user gives the admin token. Everything it shows without the token is
/// read-only.
/// </summary>
internal static class DashboardEndpoints
{
    /// <summary>The page's content security policy: nothing outside this server, no frames.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const int MaxSampleCandidates = 200;

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("Rerank.Serving.Dashboard.dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is not embedded in the host assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>Maps <c>GET /</c>, <c>GET /dashboard/status</c> and <c>GET /dashboard/sample</c>.</summary>
    public static void Map(WebApplication app, ServingRuntime runtime, AdminEndpoints admin)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", PageAsync);
        app.MapGet("/dashboard/status", (HttpContext c) => StatusAsync(c, runtime, admin));
        app.MapGet("/dashboard/sample", (HttpContext c) => SampleAsync(c, runtime));
    }

    private static async Task PageAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentType = "text/html; charset=utf-8";
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        await context.Response.Body.WriteAsync(Page.Value, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StatusAsync(HttpContext context, ServingRuntime runtime, AdminEndpoints admin)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        DashboardStatus.Write(writer, runtime, admin.Enabled);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A seeded synthetic request under the serving schema, candidates in the ranking stage's order (ctr prior, descending).</summary>
    private static async Task SampleAsync(HttpContext context, ServingRuntime runtime)
    {
        var graph = runtime.Current;
        if (graph is null)
        {
            await RerankHandler.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new ErrorJson { Error = "no serving graph is loaded" }, ServingJson.Context.ErrorJson).ConfigureAwait(false);
            return;
        }

        var query = context.Request.Query;
        var errors = new List<string>();
        var n = Int(query, "n", 12, 1, Math.Min(MaxSampleCandidates, graph.Settings.Limits.MaxCandidates), errors);
        var l = Int(query, "l", 6, 1, MaxSampleCandidates, errors);
        var seed = Int(query, "seed", 1, 0, int.MaxValue, errors);
        if (errors.Count == 0 && l > n)
        {
            errors.Add($"l = {l} exceeds n = {n}: a slate cannot be longer than its candidates");
        }

        if (errors.Count > 0)
        {
            await RerankHandler.WriteAsync(context, StatusCodes.Status400BadRequest, new ErrorJson { Error = string.Join("; ", errors) }, ServingJson.Context.ErrorJson).ConfigureAwait(false);
            return;
        }

        var schema = graph.Settings.Schema;
        var request = SyntheticRequests.Create(schema, n, l, (ulong)seed, seed);
        var ctr = schema.PriorIndex("ctr");
        if (ctr >= 0)
        {
            request.Candidates = [.. request.Candidates!.OrderByDescending(c => c.Priors![ctr])];
        }

        request.RequestId = string.Create(CultureInfo.InvariantCulture, $"dashboard-{seed}");
        await RerankHandler.WriteAsync(context, StatusCodes.Status200OK, request, ServingJson.Context.RerankRequestJson).ConfigureAwait(false);
    }

    private static int Int(IQueryCollection query, string name, int fallback, int min, int max, List<string> errors)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors.Add($"query '{name}' must be an integer from {min} to {max}, got '{text}'");
            return fallback;
        }

        return value;
    }
}
