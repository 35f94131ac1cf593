namespace Rerank.Serving.Json;

/// <summary>KServe v2 <c>/v2/health/live</c>.</summary>
internal sealed record LiveJson(bool Live);

/// <summary>KServe v2 <c>/v2/health/ready</c> and <c>/v2/models/{name}/ready</c>.</summary>
/// <param name="Ready">Whether it serves.</param>
/// <param name="Name">The model asked about (model readiness only).</param>
/// <param name="Error">Why a known model is not ready.</param>
internal sealed record ReadyJson(bool Ready, string? Name = null, string? Error = null);

/// <summary>KServe v2 model metadata.</summary>
internal sealed record ModelMetadataJson(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<TensorMetadataJson> Inputs, IReadOnlyList<TensorMetadataJson> Outputs);

/// <summary>KServe v2 tensor metadata.</summary>
internal sealed record TensorMetadataJson(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>The result of <c>POST /admin/reload</c>.</summary>
internal sealed record ReloadResultJson(bool Ok, long Generation, string? Error, double Ms, IReadOnlyList<string>? NotReady = null);

/// <summary><c>GET /admin/plugins</c>: what is serving and how the last reloads went.</summary>
internal sealed record AdminStatusJson(
    long Generation,
    DateTimeOffset LoadedAt,
    string PluginsFolder,
    string PipelinesFolder,
    string Schema,
    IReadOnlyList<PluginJson> Plugins,
    IReadOnlyList<PipelineJson> Pipelines,
    IReadOnlyList<SplitJson> Splits,
    ReloadJson? LastReload,
    IReadOnlyList<ReloadJson> Reloads,
    IReadOnlyList<NotReadyPipeline>? NotReady = null);

/// <summary>A loaded (or failed) plugin.</summary>
internal sealed record PluginJson(string Id, string? Version, string Folder, string Status, string? Error, IReadOnlyList<string> Components);

/// <summary>A served pipeline.</summary>
internal sealed record PipelineJson(string Name, string? Description, IReadOnlyList<string> Stages, IReadOnlyList<string> Plugins, int MaxBatchSize, int MaxQueueDelayUs);

/// <summary>A traffic split.</summary>
internal sealed record SplitJson(string Name, IReadOnlyList<SplitArmJson> Arms);

/// <summary>A split's arm.</summary>
internal sealed record SplitArmJson(string Name, string Pipeline, double Weight);

/// <summary>One reload attempt.</summary>
internal sealed record ReloadJson(DateTimeOffset At, string Trigger, bool Ok, long Generation, string? Error, double Ms, IReadOnlyList<string>? NotReady = null);
