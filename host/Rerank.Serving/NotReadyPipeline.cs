using Rerank.Abstractions;

namespace Rerank.Serving;

/// <summary>
/// A pipeline (or a traffic split) of the pipelines folder that could not be served: it answers not ready, its error is
/// on the dashboard, on <c>/admin/plugins</c> and in the log, and the next reload tries it again.
/// </summary>
public sealed record NotReadyPipeline
{
    /// <param name="name">The pipeline's name, or the file's name without extension when the file could not be read.</param>
    /// <param name="file">The file, relative to the pipelines folder.</param>
    /// <param name="errors">Every error, each with file:line:column relative to the pipelines folder.</param>
    internal NotReadyPipeline(string name, string file, IReadOnlyList<ConfigError> errors)
    {
        Name = name;
        File = file;
        Errors = errors;
        Error = string.Join(Environment.NewLine, errors.Select(e => e.ToString().ReplaceLineEndings(" | ")));
    }

    /// <summary>The pipeline's name, or the file's name without extension when the file could not be read.</summary>
    public string Name { get; }

    /// <summary>The file, relative to the pipelines folder.</summary>
    public string File { get; }

    /// <summary>The errors, located.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>Every error, one per line.</summary>
    public string Error { get; }
}
