using System.CommandLine;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Serving;

namespace Rerank.Cli;

/// <summary>The serving options <c>serve</c> and <c>bench serve</c> share: pipelines folder, schema and batching overrides.</summary>
internal sealed class ServeCliOptions
{
    private readonly Option<DirectoryInfo?> _pipelines = new("--pipelines")
    {
        Description = "Pipelines folder: one pipeline per *.yaml, plus optional serve.yaml and splits.yaml. Default: ./pipelines.",
    };

    private readonly Option<FileInfo?> _schema = new("--schema") { Description = "Feature schema YAML/JSON requests follow (overrides serve.yaml; default: the simulator's fields with serving-size vocabularies)." };

    private readonly Option<int?> _maxBatch = new("--max-batch-size") { Description = "Dynamic batching: most requests per batch (overrides serve.yaml)." };

    private readonly Option<int?> _maxDelay = new("--max-queue-delay-us") { Description = "Dynamic batching: most microseconds a request waits for others to join (overrides serve.yaml)." };

    private readonly Option<int?> _deadline = new("--deadline-ms") { Description = "Per-request deadline in milliseconds; past it the initial order is served (overrides serve.yaml)." };

    private readonly Option<int?> _workers = new("--workers") { Description = "Batches run concurrently per pipeline (overrides serve.yaml; default: the core count)." };

    private readonly Option<string[]> _allowPath = CliApp.AllowPathOption();

    public void AddTo(Command command)
    {
        command.Options.Add(_pipelines);
        command.Options.Add(_schema);
        command.Options.Add(_maxBatch);
        command.Options.Add(_maxDelay);
        command.Options.Add(_deadline);
        command.Options.Add(_workers);
        command.Options.Add(_allowPath);
    }

    public string Pipelines(ParseResult parse) => parse.GetValue(_pipelines)?.FullName ?? Path.GetFullPath("pipelines");

    public bool HasPipelines(ParseResult parse) => parse.GetValue(_pipelines) is not null;

    public ServeOverrides Overrides(ParseResult parse) => new()
    {
        SchemaPath = parse.GetValue(_schema)?.FullName,
        MaxBatchSize = InRange(parse.GetValue(_maxBatch), BatchingSettings.MaxBatchSizeRange, "--max-batch-size"),
        MaxQueueDelayMicroseconds = InRange(parse.GetValue(_maxDelay), BatchingSettings.MaxQueueDelayRange, "--max-queue-delay-us"),
        DeadlineMilliseconds = InRange(parse.GetValue(_deadline), LimitSettings.DeadlineRange, "--deadline-ms"),
        Workers = InRange(parse.GetValue(_workers), ServeSettings.WorkersRange, "--workers"),
        Paths = CliApp.Paths(parse, _allowPath),
    };

    private static int? InRange(int? value, IntRange range, string name) =>
        value is { } v && !range.Contains(v) ? throw Bad(name, range.Problem(v.ToString(CultureInfo.InvariantCulture))) : value;

    private static ConfigException Bad(string option, string message) => new(new SourceLocation(option, 0, 0), message);
}
