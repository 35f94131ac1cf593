using System.Globalization;
using System.Numerics;
using Rerank.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Rerank.Runtime.Configuration;

/// <summary>Walks a YAML document, collecting every error with its file:line:column instead of stopping at the first.</summary>
public sealed class YamlReader
{
    /// <summary>A reader for <paramref name="file"/> that adds every error it finds to <paramref name="errors"/>.</summary>
    public YamlReader(string file, ICollection<ConfigError> errors)
    {
        File = file;
        Errors = errors;
    }

    /// <summary>The file the errors name.</summary>
    public string File { get; }

    /// <summary>Where errors go.</summary>
    public ICollection<ConfigError> Errors { get; }

    /// <summary>Loads the root mapping of a file; a missing, oversized, non-UTF-8 or malformed file becomes an error.</summary>
    public static YamlMappingNode? Load(string path, string displayName, ICollection<ConfigError> errors) =>
        YamlText.Read(path, displayName, errors) is { } text ? Parse(text, displayName, errors) : null;

    /// <summary>Parses YAML text whose root must be a mapping, within <see cref="YamlLimits"/>.</summary>
    public static YamlMappingNode? Parse(string text, string displayName, ICollection<ConfigError> errors)
    {
        var root = LoadDocument(text, displayName, errors);
        if (root is null)
        {
            return null;
        }

        if (root is not YamlMappingNode map)
        {
            errors.Add(new ConfigError(new SourceLocation(displayName, 1, 1), "expected a YAML mapping at the top of the file"));
            return null;
        }

        return map;
    }

    /// <summary>
    /// Loads the one document of YAML text within <see cref="YamlLimits"/>: the text is checked by <see cref="YamlGuard"/>
    /// (size, nesting, alias expansion, one document, unique scalar keys) before any tree is built. An empty document
    /// gives an empty scalar.
    /// </summary>
    public static YamlNode? LoadDocument(string text, string displayName, ICollection<ConfigError> errors)
    {
        if (text.Length > YamlLimits.MaxBytes)
        {
            errors.Add(new ConfigError(new SourceLocation(displayName, 0, 0), $"the file is {text.Length:N0} characters long; YAML files are limited to {YamlLimits.MaxBytes:N0} bytes"));
            return null;
        }

        if (!YamlGuard.Check(text, displayName, errors))
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // The guard has seen every event already; this is a backstop.
            var at = new SourceLocation(displayName, (int)e.Start.Line, (int)e.Start.Column);
            errors.Add(new ConfigError(at, $"malformed YAML: {Clean(e.InnerException?.Message ?? e.Message)}"));
            return null;
        }

        return stream.Documents.Count == 0 ? new YamlScalarNode() : stream.Documents[0].RootNode;
    }

    /// <summary>The file:line:column of <paramref name="node"/>.</summary>
    public SourceLocation At(YamlNode node) => YamlParams.At(node, File);

    /// <summary>Adds an error at <paramref name="node"/>.</summary>
    public void Error(YamlNode node, string message) => Errors.Add(new ConfigError(At(node), message));

    /// <summary>The value of <paramref name="key"/> in <paramref name="map"/>, or null when it is absent.</summary>
    public YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && string.Equals(s.Value, key, StringComparison.Ordinal)).Value;

    /// <summary>Reports keys that are not in <paramref name="allowed"/>, listing the allowed ones.</summary>
    public void CheckKeys(YamlMappingNode map, string what, params string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                Error(key, $"{what}: unknown key '{name}'; expected one of: {string.Join(", ", allowed)}");
            }
        }
    }

    /// <summary>A scalar string value; an error when it is not a scalar (or, when <paramref name="required"/>, missing or empty).</summary>
    public string? String(YamlMappingNode map, string key, string what, bool required = false)
    {
        var node = Get(map, key);
        if (node is null)
        {
            if (required)
            {
                Error(map, $"{what}: '{key}' is required");
            }

            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        Error(node, $"{what}: '{key}' must be a non-empty string");
        return null;
    }

    /// <summary>An integer setting within <paramref name="range"/>; a value outside it (however large) is an error naming the key, the range and the value.</summary>
    public int? Int(YamlMappingNode map, string key, string what, IntRange range)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode s && BigInteger.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            if (value < range.Min || value > range.Max)
            {
                Error(node, $"{what}: '{key}' {range.Problem(s.Value!.Trim())}");
                return null;
            }

            return (int)value;
        }

        Error(node, $"{what}: '{key}' must be an integer, got '{(node as YamlScalarNode)?.Value ?? node.NodeType.ToString()}'");
        return null;
    }

    /// <summary>A non-negative 64-bit seed; an error when the value is not one; null when absent.</summary>
    public ulong? Seed(YamlMappingNode map, string key, string what)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode s && ulong.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node, $"{what}: '{key}' must be a non-negative integer");
        return null;
    }

    /// <paramref name="node"/> as a mapping; an error (and null) when it is something else; null when absent.
    public YamlMappingNode? Mapping(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode map)
        {
            return map;
        }

        Error(node, $"{what} must be a mapping");
        return null;
    }

    /// <paramref name="node"/> as a sequence; an error (and null) when it is something else; null when absent.
    public YamlSequenceNode? Sequence(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlSequenceNode seq)
        {
            return seq;
        }

        Error(node, $"{what} must be a sequence");
        return null;
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes messages with "(Line: a, Col: b, Idx: c) - (Line: ...): "; the location is ours already.
        var i = message.LastIndexOf("): ", StringComparison.Ordinal);
        return i >= 0 ? message[(i + 3)..] : message;
    }
}
