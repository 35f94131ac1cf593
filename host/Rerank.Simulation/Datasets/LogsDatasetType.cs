using Rerank.Abstractions;
using Rerank.Simulation.Logs;

namespace Rerank.Simulation.Datasets;

/// <summary>
/// <c>dataset: {type: logs, path: FILE, params: {…}}</c> reads a team's own impression log (Parquet, JSON Lines or CSV;
/// one row per candidate of a request) in two streaming passes, checks it (errors name file, row and column), and splits
/// its requests by time or by a hash of the request id. Train and validation requests become logged lists; test requests
/// carry no ground truth, and their impressions (shown slate, feedback, recorded propensities) go to
/// <see cref="ExperimentData.TestImpressions"/>. See <c>docs/logs.md</c>.
/// </summary>
internal sealed class LogsDatasetType : IDatasetType
{
    public string Type => "logs";

    public string Description => "A team's own impression log (Parquet, JSON Lines or CSV, one row per candidate): columns, features, split and the logging policy when it is known; see docs/logs.md.";

    public Type OptionsType => typeof(LogsOptions);

    public void Check(object options, DatasetSpec spec, ICollection<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var o = (LogsOptions)options;
        if (spec.Path is null)
        {
            errors.Add(new ConfigError(spec.Location, "dataset (logs): 'path' must name an impression log file (.parquet, .jsonl, .jsonl.gz or .csv); see docs/logs.md"));
        }
        else if (!File.Exists(spec.Path))
        {
            errors.Add(new ConfigError(spec.Location, $"dataset (logs): file '{spec.Path}' does not exist"));
        }
        else if (LogFiles.Resolve(spec.Path, o.Format) is null)
        {
            errors.Add(new ConfigError(spec.Location, $"dataset (logs): cannot tell the format of '{spec.Path}' from its extension; use .parquet, .jsonl or .csv, or set params.format"));
        }
    }

    public ExperimentData Load(object options, string? path, ulong seed, IProgress<double>? progress)
    {
        var o = (LogsOptions)options;
        var file = path ?? throw new InvalidOperationException("dataset (logs): 'path' is required");
        var data = LogsReader.Read(file, o, seed, progress);
        var parameters = new List<KeyValuePair<string, object?>>
        {
            new("type", Type),
            new("path", file),
            new("format", OptionsBinder.KeyOf(data.Format.ToString())),
            new("seed", seed),
            new("split_by", OptionsBinder.KeyOf(o.Split.By.ToString())),
            new("validation", o.Split.Validation),
            new("test", o.Split.Test),
            new("rows", data.Rows),
            new("items", data.Items),
            new("train_requests", data.Train.Count),
            new("validation_requests", data.Validation.Count),
            new("test_requests", data.Test.Count),
        };
        return new ExperimentData(
            data.Schema,
            new TrainingData(data.Schema, data.Train, data.Validation),
            [.. data.Test.Select(t => t.Logged.Request)],
            parameters,
            TestImpressions: data.Test);
    }
}
