using System.CommandLine;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Serving;

namespace Rerank.Cli;

/// <summary>The serving options <c>serve</c> and <c>bench serve</c> share: pipelines folder, schema and batching overrides.</summary>
internal sealed class ServeCliOptions
{
    private readonly Option<DirectoryInfo?> pipelines = new("--pipelines")
    {
        Description = "Pipelines folder: one pipeline per *.yaml, plus optional serve.yaml and splits.yaml. Default: ./pipelines.",
    };

    private readonly Option<FileInfo?> schema = new("--schema") { Description = "Feature schema YAML/JSON requests follow (overrides serve.yaml; default: the simulator's fields with serving-size vocabularies)." };

    private readonly Option<int?> maxBatch = new("--max-batch-size") { Description = "Dynamic batching: most requests per batch (overrides serve.yaml)." };

    private readonly Option<int?> maxDelay = new("--max-queue-delay-us") { Description = "Dynamic batching: most microseconds a request waits for others to join (overrides serve.yaml)." };

    private readonly Option<int?> deadline = new("--deadline-ms") { Description = "Per-request deadline in milliseconds; past it the initial order is served (overrides serve.yaml)." };

    private readonly Option<int?> workers = new("--workers") { Description = "Batches run concurrently per pipeline (overrides serve.yaml; default: the core count)." };

    private readonly Option<string[]> allowPath = CliApp.AllowPathOption();

    public void AddTo(Command command)
    {
        command.Options.Add(pipelines);
        command.Options.Add(schema);
        command.Options.Add(maxBatch);
        command.Options.Add(maxDelay);
        command.Options.Add(deadline);
        command.Options.Add(workers);
        command.Options.Add(allowPath);
    }

    public string Pipelines(ParseResult parse) => parse.GetValue(pipelines)?.FullName ?? Path.GetFullPath("pipelines");

    public bool HasPipelines(ParseResult parse) => parse.GetValue(pipelines) is not null;

    public ServeOverrides Overrides(ParseResult parse) => new()
    {
        SchemaPath = parse.GetValue(schema)?.FullName,
        MaxBatchSize = InRange(parse.GetValue(maxBatch), BatchingSettings.MaxBatchSizeRange, "--max-batch-size"),
        MaxQueueDelayMicroseconds = InRange(parse.GetValue(maxDelay), BatchingSettings.MaxQueueDelayRange, "--max-queue-delay-us"),
        DeadlineMilliseconds = InRange(parse.GetValue(deadline), LimitSettings.DeadlineRange, "--deadline-ms"),
        Workers = InRange(parse.GetValue(workers), ServeSettings.WorkersRange, "--workers"),
        Paths = CliApp.Paths(parse, allowPath),
    };

    private static int? InRange(int? value, IntRange range, string name) =>
        value is { } v && !range.Contains(v) ? throw Bad(name, range.Problem(v.ToString(CultureInfo.InvariantCulture))) : value;

    private static ConfigException Bad(string option, string message) => new(new SourceLocation(option, 0, 0), message);
}
