using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Rerank.Abstractions;
using Rerank.Serving.Json;

namespace Rerank.Serving.Http;

/// <summary>
/// <c>POST /v1/pipelines/{name}:rerank</c> and <c>:rerank-batch</c>: lease the graph, read and validate the body, route
/// (pipeline or split arm), queue on the pipeline's batcher, wait until the deadline, answer — with the fallback order when
/// the pipeline failed or was late.
/// </summary>
internal sealed partial class RerankHandler
{
    /// <summary>Per-thread buffers are dropped after an answer larger than this, so one big batch does not pin memory.</summary>
    private const int MaxKeptBufferBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? responseBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? responseWriter;

    private readonly ServingRuntime _runtime;

    public RerankHandler(ServingRuntime runtime)
    {
        _runtime = runtime;
    }

    public async Task HandleAsync(HttpContext context, string target)
    {
        var arrival = Stopwatch.GetTimestamp();
        var colon = target.LastIndexOf(':');
        var verb = colon < 0 ? "" : target[(colon + 1)..];
        var name = colon < 0 ? target : target[..colon];
        if (verb is not ("rerank" or "rerank-batch"))
        {
            await ErrorAsync(context, name, StatusCodes.Status404NotFound, $"unknown method '{target}'; use POST /v1/pipelines/{{name}}:rerank or :rerank-batch").ConfigureAwait(false);
            return;
        }

        var graph = _runtime.Acquire();
        if (graph is null)
        {
            await ErrorAsync(context, name, StatusCodes.Status503ServiceUnavailable, "no serving graph is loaded").ConfigureAwait(false);
            return;
        }

        try
        {
            if (graph.NotReadyNamed(name) is { } notReady)
            {
                await ErrorAsync(context, name, StatusCodes.Status503ServiceUnavailable, $"pipeline '{name}' is not ready: {PublicText.Redact(notReady.Error, _runtime.PipelinesFolder)!.ReplaceLineEndings(" | ")}").ConfigureAwait(false);
                return;
            }

            if (!graph.Pipelines.ContainsKey(name) && !graph.Splits.ContainsKey(name))
            {
                await ErrorAsync(context, name, StatusCodes.Status404NotFound, $"unknown pipeline '{name}'; serving: {RouteTarget.Known(graph)}").ConfigureAwait(false);
                return;
            }

            var limits = graph.Settings.Limits;
            if (verb == "rerank")
            {
                var json = await BodyReader.ReadJsonAsync(context, limits.MaxBodyBytes, ServingJson.Context.RerankRequestJson, RequestJsonReader.TryRead).ConfigureAwait(false);
                var request = Validate(json, "body", graph);
                var response = await ServeAsync(graph, name, request, arrival).ConfigureAwait(false);
                await WriteAsync(context, StatusCodes.Status200OK, response, ServingJson.Context.RerankResponseJson).ConfigureAwait(false);
            }
            else
            {
                var json = await BodyReader.ReadJsonAsync(context, limits.MaxBodyBytes, ServingJson.Context.RerankBatchRequestJson, RequestJsonReader.TryReadBatch).ConfigureAwait(false);
                var requests = ValidateBatch(json, graph);
                var responses = await Task.WhenAll(requests.Select(r => ServeAsync(graph, name, r, arrival))).ConfigureAwait(false);
                await WriteAsync(context, StatusCodes.Status200OK, new RerankBatchResponseJson { Responses = responses }, ServingJson.Context.RerankBatchResponseJson).ConfigureAwait(false);
            }
        }
        catch (BadRequestException e)
        {
            await ErrorAsync(context, name, e.Status, e.Message, e.Details).ConfigureAwait(false);
        }
        finally
        {
            graph.Release();
        }
    }

    private static RerankRequest Validate(RerankRequestJson json, string where, ServingGraph graph)
    {
        var errors = new List<string>();
        return RequestMapper.Map(json, where, graph.Settings.Schema, graph.Settings.Limits, errors)
            ?? throw new BadRequestException(StatusCodes.Status400BadRequest, errors[0], errors);
    }

    private static RerankRequest[] ValidateBatch(RerankBatchRequestJson json, ServingGraph graph)
    {
        var limits = graph.Settings.Limits;
        if (json.Requests is null || json.Requests.Count == 0)
        {
            throw new BadRequestException(StatusCodes.Status400BadRequest, "requests is required and must not be empty");
        }

        if (json.Requests.Count > limits.MaxBatchRequests)
        {
            throw new BadRequestException(StatusCodes.Status400BadRequest, $"requests has {json.Requests.Count} items; the limit is {limits.MaxBatchRequests}");
        }

        var errors = new List<string>();
        var result = new RerankRequest[json.Requests.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = RequestMapper.Map(json.Requests[i], $"requests[{i}]", graph.Settings.Schema, limits, errors)!;
        }

        return errors.Count > 0 ? throw new BadRequestException(StatusCodes.Status400BadRequest, errors[0], errors) : result;
    }

    private async Task ErrorAsync(HttpContext context, string pipeline, int status, string message, IReadOnlyList<string>? details = null)
    {
        _runtime.Metrics.Errors.Increment(pipeline, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await WriteAsync(context, status, new ErrorJson { Error = message, Details = details is { Count: > 1 } ? details : null }, ServingJson.Context.ErrorJson).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a JSON body with a status and a Content-Length: the value is serialized synchronously into a per-thread
    /// buffer and copied into the response pipe in one piece (no chunked framing, one write).
    /// </summary>
    public static async Task WriteAsync<T>(HttpContext context, int status, T value, JsonTypeInfo<T> type)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        var buffer = responseBuffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = responseWriter;
        if (writer is null || writer.Options.Encoder != type.Options.Encoder)
        {
            writer = responseWriter = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = type.Options.Encoder, SkipValidation = true });
        }

        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, value, type);
        writer.Flush();
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        if (buffer.Capacity > MaxKeptBufferBytes)
        {
            responseBuffer = null;
            responseWriter = null;
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
