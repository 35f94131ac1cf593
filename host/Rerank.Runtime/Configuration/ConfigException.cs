using Rerank.Abstractions;

namespace Rerank.Runtime.Configuration;

/// <summary>Configuration that cannot be used: carries every error found, each with file:line:column.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>A configuration error carrying every error in <paramref name="errors"/> (the message lists them, one per line).</summary>
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    /// <summary>A configuration error carrying one error at <paramref name="at"/>.</summary>
    public ConfigException(SourceLocation at, string message)
        : this([new ConfigError(at, message)])
    {
    }

    /// <summary>Every error found, each with its file:line:column.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Format(IReadOnlyList<ConfigError> errors) =>
        errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors);
}
