using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Rerank.Serving.Http;

/// <summary>The body could not be read as the expected JSON; carries the HTTP status and a message naming the field.</summary>
internal sealed class BadRequestException : Exception
{
    public BadRequestException(int status, string message, IReadOnlyList<string>? details = null)
        : base(message)
    {
        Status = status;
        Details = details;
    }

    public BadRequestException()
    {
    }

    public BadRequestException(string message)
        : base(message)
    {
    }

    public BadRequestException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public int Status { get; } = StatusCodes.Status400BadRequest;

    public IReadOnlyList<string>? Details { get; }
}

/// <summary>Reads a request body up to a size limit and deserializes it, turning JSON errors into one line naming the path.</summary>
internal static partial class BodyReader
{
    /// <summary>A hand-written reader for a hot body type: true with the value, or false to let the serializer decide.</summary>
    public delegate bool FastReader<T>(ReadOnlySpan<byte> json, out T? value);

    /// <summary>Reads the body and deserializes it with <paramref name="type"/>, or first with <paramref name="fast"/> when given.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpContext context, long maxBytes, JsonTypeInfo<T> type, FastReader<T>? fast = null)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            throw new BadRequestException(StatusCodes.Status413PayloadTooLarge, $"body is {request.ContentLength} bytes; the limit is {maxBytes}");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBytes + 1;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(request.ContentLength ?? 16 * 1024, 256), maxBytes + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        throw TooLarge(maxBytes);
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    throw TooLarge(maxBytes);
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }
            }

            if (length == 0)
            {
                throw new BadRequestException(StatusCodes.Status400BadRequest, "body is empty; expected a JSON object");
            }

            if (fast is not null && fast(buffer.AsSpan(0, length), out var quick) && quick is not null)
            {
                return quick;
            }

            try
            {
                return JsonSerializer.Deserialize(buffer.AsSpan(0, length), type)
                    ?? throw new BadRequestException(StatusCodes.Status400BadRequest, "body is null; expected a JSON object");
            }
            catch (JsonException e)
            {
                throw new BadRequestException(StatusCodes.Status400BadRequest, Describe(e));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One line: where (JSON path, line, byte) and what, without .NET type names.</summary>
    public static string Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        if (UnknownProperty().Match(message) is { Success: true } unknown)
        {
            return $"malformed request at {path}: unknown field '{unknown.Groups[1].Value}'";
        }

        if (DuplicateProperty().Match(message) is { Success: true } duplicate)
        {
            var name = duplicate.Groups[1].Value;
            var parent = path.EndsWith("." + name, StringComparison.Ordinal) ? path[..^(name.Length + 1)] : path;
            return $"malformed request at {parent}: field '{name}' is given twice";
        }

        if (Conversion().Match(message) is { Success: true } conversion)
        {
            return $"malformed request at {path}: expected {Expected(conversion.Groups[1].Value)}";
        }

        var at = e.LineNumber is { } line ? $" (line {line + 1}, byte {(e.BytePositionInLine ?? 0) + 1})" : "";
        return $"malformed JSON at {path}{at}: {message.TrimEnd('.')}";
    }

    private static BadRequestException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"body exceeds the limit of {maxBytes} bytes");

    private static string Expected(string type) => type switch
    {
        var t when t.Contains("Int32", StringComparison.Ordinal) && t.Contains("[]", StringComparison.Ordinal) => "an array of integers",
        var t when t.Contains("Single", StringComparison.Ordinal) && t.Contains("[]", StringComparison.Ordinal) => "an array of numbers",
        var t when t.Contains("Int32", StringComparison.Ordinal) => "an integer",
        var t when t.Contains("Single", StringComparison.Ordinal) => "a number",
        var t when t.Contains("String", StringComparison.Ordinal) => "a string",
        var t when t.EndsWith("[]", StringComparison.Ordinal) => "an array",
        _ => "an object",
    };

    [GeneratedRegex("The JSON property '(.+?)' could not be mapped")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex("Duplicate property '(.+?)' encountered")]
    private static partial Regex DuplicateProperty();

    [GeneratedRegex("could not be converted to ([^ .]+(?:\\.[^ .]+)*)")]
    private static partial Regex Conversion();
}
