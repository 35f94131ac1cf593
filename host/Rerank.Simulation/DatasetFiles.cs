using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Runtime.IO;

namespace Rerank.Simulation;

/// <summary>
/// A simulated dataset on disk: <c>dataset.json</c> (type, params, seed, schema, counts), <c>catalogue.jsonl.gz</c>
/// (observable items), <c>world.jsonl.gz</c> (hidden truth: true embeddings, qualities, prices, tastes, price
/// sensitivities), and <c>train</c>/<c>validation</c>/<c>test.jsonl.gz</c> (requests by item index, priors, logs).
/// Every file is written atomically; reading rebuilds each request's ground truth from the world.
/// </summary>
public static partial class DatasetFiles
{
    internal const string DatasetFile = "dataset.json";
    internal const string CatalogueFile = "catalogue.jsonl.gz";
    internal const string WorldFile = "world.jsonl.gz";
    internal const int FormatVersion = 1;

    /// <summary>Writes <paramref name="dataset"/> into <paramref name="directory"/> (created when missing); returns the files written.</summary>
    public static IReadOnlyList<string> Write(SimulatedDataset dataset, string directory)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        Directory.CreateDirectory(directory);

        // dataset.json is written last and marks a complete folder; an old one goes first.
        File.Delete(Path.Combine(directory, DatasetFile));
        var world = dataset.World;
        var files = new List<string>();
        string At(string name)
        {
            var path = Path.Combine(directory, name);
            files.Add(path);
            return path;
        }

        JsonLines.Write(At(CatalogueFile), Enumerable.Range(0, world.Items), (w, j) =>
        {
            var item = world.Catalogue[j];
            w.WriteStartObject();
            w.WriteNumber("item", j);
            w.WriteString("id", item.Id);
            w.WriteNumber("category", world.ItemCategory[j]);
            w.WriteNumber("price", item.Price);
            w.WriteArray("embedding", item.Embedding);
            w.WriteEndObject();
        });
        JsonLines.Write(At(WorldFile), WorldLines(world, dataset.Options.Complementarity > 0), (w, line) => line(w));
        JsonLines.Write(At(SplitFile(Simulator.TrainSplit)), dataset.Train, WriteLogged);
        JsonLines.Write(At(SplitFile(Simulator.ValidationSplit)), dataset.Validation, WriteLogged);
        JsonLines.Write(At(SplitFile(Simulator.TestSplit)), dataset.Test, WriteRequest);

        // dataset.json last: a folder with it is complete.
        AtomicFile.Write(At(DatasetFile), stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteNumber("format", FormatVersion);
            w.WriteString("type", "simulator");
            w.WriteNumber("seed", dataset.Seed);
            w.WriteStartObject("params");
            foreach (var property in OptionsBinder.Bindable(typeof(SimulatorOptions)))
            {
                var key = OptionsBinder.KeyOf(property.Name);
                switch (property.GetValue(dataset.Options))
                {
                    case int i:
                        w.WriteNumber(key, i);
                        break;
                    case double d:
                        w.WriteNumber(key, d);
                        break;
                    case bool b:
                        w.WriteBoolean(key, b);
                        break;
                    case SimulatorPreset preset:
                        w.WriteString(key, OptionsBinder.KeyOf(preset.ToString()));
                        break;
                    case var other:
                        throw new InvalidOperationException($"Simulator param '{key}' has unsupported type {other?.GetType().Name}.");
                }
            }

            w.WriteEndObject();
            w.WriteString("schema", dataset.Schema.Describe());
            w.WriteStartObject("counts");
            w.WriteNumber("train", dataset.Train.Count);
            w.WriteNumber("validation", dataset.Validation.Count);
            w.WriteNumber("test", dataset.Test.Count);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return files;
    }

    /// <summary>The file of a split, e.g. <c>train.jsonl.gz</c>.</summary>
    public static string SplitFile(string split) => $"{split}.jsonl.gz";

    private static IEnumerable<Action<Utf8JsonWriter>> WorldLines(SimWorld world, bool complements)
    {
        yield return w =>
        {
            w.WriteStartObject();
            w.WriteString("kind", "header");
            w.WriteNumber("categories", world.Categories);
            w.WriteNumber("items", world.Items);
            w.WriteNumber("users", world.Users);
            w.WriteEndObject();
        };
        for (var j = 0; j < world.Items; j++)
        {
            var item = j;
            yield return w =>
            {
                w.WriteStartObject();
                w.WriteString("kind", "item");
                w.WriteNumber("item", item);
                w.WriteNumber("category", world.ItemCategory[item]);
                w.WriteNumber("price", world.Price[item]);
                w.WriteNumber("quality", world.Quality[item]);
                w.WriteArray("embedding", world.Embedding[item]);
                w.WriteEndObject();
            };
        }

        for (var u = 0; u < world.Users; u++)
        {
            var user = u;
            yield return w =>
            {
                w.WriteStartObject();
                w.WriteString("kind", "user");
                w.WriteNumber("user", user);
                w.WriteNumber("segment", world.Segment[user]);
                w.WriteNumber("price_sensitivity", world.PriceSensitivity[user]);
                w.WriteArray("taste", world.Taste[user]);
                w.WriteEndObject();
            };
        }

        // The hidden complement graph, one line per category, when complementarity is on (so ζ = 0 files are unchanged).
        for (var c = 0; complements && c < world.Categories; c++)
        {
            var category = c;
            yield return w =>
            {
                w.WriteStartObject();
                w.WriteString("kind", "category");
                w.WriteNumber("category", category);
                w.WriteArray("complements", world.Complements[category]);
                w.WriteEndObject();
            };
        }
    }

    private static void WriteRequest(Utf8JsonWriter w, RerankRequest request)
    {
        w.WriteStartObject();
        WriteRequestFields(w, request);
        w.WriteEndObject();
    }

    private static void WriteLogged(Utf8JsonWriter w, LoggedList logged)
    {
        w.WriteStartObject();
        WriteRequestFields(w, logged.Request);
        w.WriteArray("exposed", logged.Exposed);
        w.WriteArray("clicks", logged.Clicks);
        w.WriteArray("conversions", logged.Conversions);
        w.WriteEndObject();
    }

    private static void WriteRequestFields(Utf8JsonWriter w, RerankRequest request)
    {
        w.WriteString("id", request.RequestId);
        w.WriteNumber("user", request.UserCategorical[0]);
        w.WriteStartArray("history");
        foreach (var item in request.History)
        {
            w.WriteNumberValue(item.Categorical[0]);
        }

        w.WriteEndArray();
        w.WriteStartArray("candidates");
        foreach (var item in request.Candidates)
        {
            w.WriteNumberValue(item.Categorical[0]);
        }

        w.WriteEndArray();
        w.WriteStartArray("ctr");
        foreach (var item in request.Candidates)
        {
            w.WriteNumberValue(item.Priors[0]);
        }

        w.WriteEndArray();
        w.WriteStartArray("cvr");
        foreach (var item in request.Candidates)
        {
            w.WriteNumberValue(item.Priors[1]);
        }

        w.WriteEndArray();
    }
}
