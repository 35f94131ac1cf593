using System.Text;
using Rerank.Abstractions;

namespace Rerank.Runtime.Configuration;

/// <summary>Reads a YAML file as text: at most <see cref="YamlLimits.MaxBytes"/>, strictly UTF-8 (a BOM is allowed).</summary>
public static class YamlText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's text, or null with an error naming the file (missing, too large, unreadable, not UTF-8).</summary>
    public static string? Read(string path, string displayName, ICollection<ConfigError> errors)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                errors.Add(new ConfigError(new SourceLocation(displayName, 0, 0), $"file not found: {displayName}"));
                return null;
            }

            if (info.Length > YamlLimits.MaxBytes)
            {
                errors.Add(new ConfigError(new SourceLocation(displayName, 0, 0), $"the file is {info.Length:N0} bytes; YAML files are limited to {YamlLimits.MaxBytes:N0} bytes"));
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigError(new SourceLocation(displayName, 0, 0), $"cannot read the file: {e.GetType().Name}"));
            return null;
        }

        return Decode(bytes, displayName, errors);
    }

    /// <summary>Decodes UTF-8 bytes (skipping a BOM); invalid bytes are an error at their line and column.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, string displayName, ICollection<ConfigError> errors)
    {
        if (bytes.Length > YamlLimits.MaxBytes)
        {
            errors.Add(new ConfigError(new SourceLocation(displayName, 0, 0), $"the file is {bytes.Length:N0} bytes; YAML files are limited to {YamlLimits.MaxBytes:N0} bytes"));
            return null;
        }

        var preamble = Strict.Preamble;
        if (bytes.StartsWith(preamble))
        {
            bytes = bytes[preamble.Length..];
        }

        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var (line, column) = Position(bytes, e.Index);
            var bad = e.BytesUnknown is { Length: > 0 } unknown ? $"0x{unknown[0]:X2}" : "a byte";
            errors.Add(new ConfigError(new SourceLocation(displayName, line, column), $"the file is not UTF-8: {bad} cannot start or continue a UTF-8 character here (save the file as UTF-8)"));
            return null;
        }
    }

    private static (int Line, int Column) Position(ReadOnlySpan<byte> bytes, int index)
    {
        index = Math.Clamp(index, 0, bytes.Length);
        var before = bytes[..index];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = Encoding.UTF8.GetCharCount(before[lineStart..]) + 1;
        return (line, column);
    }
}
