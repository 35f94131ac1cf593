namespace Rerank.Host.Serving;

/// <summary>
/// A pipeline (or a traffic split) of the pipelines folder that could not be served: it answers not ready, its error is
/// on the dashboard, on <c>/admin/plugins</c> and in the log, and the next reload tries it again.
/// </summary>
/// <param name="Name">The pipeline's name, or the file's name without extension when the file could not be read.</param>
/// <param name="File">The file, relative to the pipelines folder.</param>
/// <param name="Error">Every error, one per line, with file:line:column relative to the pipelines folder.</param>
internal sealed record NotReadyPipeline(string Name, string File, string Error);
