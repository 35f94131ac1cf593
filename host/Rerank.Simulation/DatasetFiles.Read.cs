using System.Globalization;
using System.Text.Json;
using Rerank.Abstractions;

namespace Rerank.Simulation;

public static partial class DatasetFiles
{
    /// <summary>Reads a dataset written by <see cref="Write"/>; a missing or corrupt file is an error naming it (and the line).</summary>
    public static SimulatedDataset Read(string directory)
    {
        var (options, seed, counts) = ReadHeader(Path.Combine(directory, DatasetFile));
        var world = ReadWorld(directory, options, seed);
        var train = ReadSplit(directory, Simulator.TrainSplit, options, world, logged: true, counts.Train);
        var validation = ReadSplit(directory, Simulator.ValidationSplit, options, world, logged: true, counts.Validation);
        var test = ReadSplit(directory, Simulator.TestSplit, options, world, logged: false, counts.Test);
        return new SimulatedDataset(
            options,
            seed,
            world,
            [.. train.Select(x => x.Logged!)],
            [.. validation.Select(x => x.Logged!)],
            [.. test.Select(x => x.Request)]);
    }

    private static (SimulatorOptions Options, ulong Seed, (int Train, int Validation, int Test) Counts) ReadHeader(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is missing; the folder is not a complete simulated dataset (write one with `rerank simulate`).", path);
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var format = root.Get("format").GetInt32();
            if (format != FormatVersion)
            {
                throw new InvalidDataException($"format is {format}; this build reads format {FormatVersion}");
            }

            if (root.Get("type").GetString() != "simulator")
            {
                throw new InvalidDataException("type is not 'simulator'");
            }

            var options = new SimulatorOptions();
            var parameters = root.Get("params");
            foreach (var property in OptionsBinder.Bindable(typeof(SimulatorOptions)))
            {
                var key = OptionsBinder.KeyOf(property.Name);
                if (!parameters.TryGetProperty(key, out var value))
                {
                    continue;
                }

                object boxed = property.PropertyType == typeof(int) ? value.GetInt32()
                    : property.PropertyType == typeof(double) ? value.GetDouble()
                    : property.PropertyType == typeof(bool) ? value.GetBoolean()
                    : property.PropertyType == typeof(SimulatorPreset) ? ParsePreset(key, value.GetString())
                    : throw new InvalidDataException($"param '{key}' has unsupported type {property.PropertyType.Name}");
                property.SetValue(options, boxed);
            }

            var problems = options.Validate().ToList();
            if (problems.Count > 0)
            {
                throw new InvalidDataException("params: " + string.Join("; ", problems));
            }

            var counts = root.Get("counts");
            return (options, root.Get("seed").GetUInt64(), (counts.Get("train").GetInt32(), counts.Get("validation").GetInt32(), counts.Get("test").GetInt32()));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: {JsonLines.Describe(e)}", e);
        }
    }

    /// <summary>A preset as written (<c>default</c>, <c>rich</c>, <c>no_effects</c>); it is set before the other params, which then override it.</summary>
    private static SimulatorPreset ParsePreset(string key, string? text) =>
        Enum.GetValues<SimulatorPreset>().FirstOrDefault(p => OptionsBinder.KeyOf(p.ToString()) == text, (SimulatorPreset)(-1)) is var preset && Enum.IsDefined(preset)
            ? preset
            : throw new InvalidDataException($"param '{key}' is '{text}'; expected one of {string.Join(", ", Enum.GetValues<SimulatorPreset>().Select(p => OptionsBinder.KeyOf(p.ToString())))}");

    private static SimWorld ReadWorld(string directory, SimulatorOptions options, ulong seed)
    {
        var worldPath = Path.Combine(directory, WorldFile);
        var cataloguePath = Path.Combine(directory, CatalogueFile);
        var n = options.Items;
        var users = options.Users;
        var category = new int[n];
        var price = new double[n];
        var quality = new double[n];
        var embedding = new double[n][];
        var taste = new double[users][];
        var sensitivity = new double[users];
        var segment = new int[users];
        JsonLines.Read(worldPath, line =>
        {
            switch (line.Get("kind").GetString())
            {
                case "header":
                    Expect(line, "items", n);
                    Expect(line, "users", users);
                    Expect(line, "categories", options.Categories);
                    break;
                case "item":
                    var j = Index(line, "item", n);
                    category[j] = Index(line, "category", options.Categories);
                    price[j] = line.Get("price").GetDouble();
                    quality[j] = line.Get("quality").GetDouble();
                    embedding[j] = Width(line.Doubles("embedding"), options.EmbeddingDim);
                    break;
                case "user":
                    var u = Index(line, "user", users);
                    segment[u] = Index(line, "segment", options.Segments);
                    sensitivity[u] = line.Get("price_sensitivity").GetDouble();
                    taste[u] = Width(line.Doubles("taste"), options.EmbeddingDim);
                    break;
                case "category":
                    // The complement graph is written for inspection only; it is redrawn from the seed below.
                    break;
                default:
                    throw new InvalidDataException("unknown 'kind' (expected header, item, user or category)");
            }

            return 0;
        });
        Complete(worldPath, "item", embedding);
        Complete(worldPath, "user", taste);
        var observed = new float[n][];
        JsonLines.Read(cataloguePath, line =>
        {
            var j = Index(line, "item", n);
            if (line.Get("category").GetInt32() != category[j] || line.Get("price").GetSingle() != (float)price[j])
            {
                throw new InvalidDataException($"item {j} disagrees with {WorldFile} on category or price");
            }

            observed[j] = Width(line.Floats("embedding"), options.EmbeddingDim);
            return 0;
        });
        Complete(cataloguePath, "item", observed);
        return new SimWorld(options.Categories, category, price, quality, embedding, observed, taste, sensitivity, segment, SimWorld.DrawComplements(options, seed), SimWorld.DrawUserEffects(options, seed));
    }

    private static (RerankRequest Request, LoggedList? Logged)[] ReadSplit(string directory, string split, SimulatorOptions options, SimWorld world, bool logged, int expected)
    {
        var path = Path.Combine(directory, SplitFile(split));
        var rows = JsonLines.Read(path, line =>
        {
            var id = line.Get("id").GetString() ?? throw new InvalidDataException("'id' is null");
            var user = Index(line, "user", world.Users);
            var history = line.Ints("history");
            var items = line.Ints("candidates");
            var ctr = line.Floats("ctr");
            var cvr = line.Floats("cvr");
            if (items.Length != options.Candidates || ctr.Length != items.Length || cvr.Length != items.Length)
            {
                throw new InvalidDataException($"the request has {items.Length} candidates, {ctr.Length} ctr and {cvr.Length} cvr values; expected {options.Candidates} of each");
            }

            foreach (var j in history.Concat(items))
            {
                if ((uint)j >= (uint)world.Items)
                {
                    throw new InvalidDataException($"the request refers to item {j}; the catalogue has {world.Items}");
                }
            }

            var request = world.Request(options, id, user, history, items, ctr, cvr);
            if (!logged)
            {
                return (request, (LoggedList?)null);
            }

            var exposed = line.Ints("exposed");
            var clicks = line.Floats("clicks");
            var conversions = line.Floats("conversions");
            if (exposed.Length != options.SlateSize || clicks.Length != exposed.Length || conversions.Length != exposed.Length
                || exposed.Any(i => (uint)i >= (uint)items.Length))
            {
                throw new InvalidDataException($"the request has an inconsistent exposure (exposed, clicks, conversions must have L = {options.SlateSize} entries and index candidates)");
            }

            return (request, new LoggedList(request, exposed, clicks, conversions));
        });
        return rows.Length == expected
            ? rows
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: has {rows.Length} requests; {DatasetFile} says {expected} (truncated file?)"));
    }

    private static int Index(JsonElement line, string name, int size)
    {
        var value = line.Get(name).GetInt32();
        return (uint)value < (uint)size
            ? value
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is {value}; it must be in [0, {size})"));
    }

    private static void Expect(JsonElement line, string name, int expected)
    {
        var value = line.Get(name).GetInt32();
        if (value != expected)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is {value}; {DatasetFile} says {expected}"));
        }
    }

    private static T[] Width<T>(T[] values, int width) =>
        values.Length == width
            ? values
            : throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"a vector has width {values.Length}; embedding_dim is {width}"));

    private static void Complete<T>(string path, string what, T[]?[] values)
    {
        var missing = Array.FindIndex(values, v => v is null);
        if (missing >= 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: {what} {missing} is missing"));
        }
    }
}
