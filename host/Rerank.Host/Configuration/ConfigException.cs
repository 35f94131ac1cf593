using Rerank.Abstractions;

namespace Rerank.Host.Configuration;

/// <summary>Configuration that cannot be used: carries every error found, each with file:line:column.</summary>
internal sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    public ConfigException(SourceLocation at, string message)
        : this([new ConfigError(at, message)])
    {
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Format(IReadOnlyList<ConfigError> errors) =>
        errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors);
}
