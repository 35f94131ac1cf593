using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.IO;
using Rerank.Engine.Nn;
using Shouldly;
using Xunit;

namespace Rerank.Conformance;

/// <summary>
/// What every component must satisfy, whatever its kind: options survive a YAML round trip, the same seed gives the same
/// outputs, a request's outputs do not depend on the rest of its batch, and a trained component survives save/load.
/// A plugin's test project derives one class per component from the kind's suite (e.g. <see cref="DiversifierConformance"/>)
/// and names the plugin, the component and its params.
/// </summary>
/// <typeparam name="TComponent">The contract the component is built as.</typeparam>
public abstract class ComponentConformance<TComponent>
    where TComponent : class, IComponent
{
    private static readonly IConformanceData Synthetic = new SyntheticData();
    private readonly IRerankPlugin? _plugin;
    private readonly string? _component;
    private readonly string _paramsYaml = "";

    /// <summary>A suite whose derived class overrides <see cref="Plugin"/> and <see cref="Component"/> (and <see cref="ParamsYaml"/>).</summary>
    protected ComponentConformance()
    {
    }

    /// <summary>
    /// A suite for component <paramref name="component"/> of <paramref name="plugin"/>, built from <paramref name="paramsYaml"/>:
    /// the one-line form, <c>public sealed class Mine() : DiversifierConformance(new MyPlugin(), "mine");</c>.
    /// </summary>
    protected ComponentConformance(IRerankPlugin plugin, string component, string paramsYaml = "")
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        _plugin = plugin;
        _component = component;
        _paramsYaml = paramsYaml ?? "";
    }

    /// <summary>The plugin that registers the component (the constructor's, unless overridden).</summary>
    protected virtual IRerankPlugin Plugin =>
        _plugin ?? throw new InvalidOperationException($"{GetType().Name}: pass the plugin to the suite's constructor or override Plugin");

    /// <summary>The registered component name (the constructor's, unless overridden).</summary>
    protected virtual string Component =>
        _component ?? throw new InvalidOperationException($"{GetType().Name}: pass the component name to the suite's constructor or override Component");

    /// <summary>The YAML text of the component's <c>params:</c> (empty: defaults).</summary>
    protected virtual string ParamsYaml => _paramsYaml;

    /// <summary>The request source (default: <see cref="SyntheticData"/>).</summary>
    protected virtual IConformanceData Data => Synthetic;

    /// <summary>The seed of requests, components and contexts.</summary>
    protected virtual ulong Seed => 11;

    /// <summary>Requests per batch.</summary>
    protected virtual int BatchSize => 6;

    /// <summary>Logged lists for the brief training of trainable components.</summary>
    protected virtual int TrainingLists => 32;

    /// <summary>
    /// Whether a trainable component saves through the engine's checkpoint contract (safetensors with plugin, version,
    /// component, hyper-parameters and schema). A component whose "checkpoint" is a model file of a foreign format (an
    /// ONNX file, checked against its input mapping instead) overrides this with false, and the metadata test does not apply.
    /// </summary>
    protected virtual bool SavesThroughCheckpointContract => true;

    /// <summary>Relative tolerance of scores when the batch around a request changes (padding may reorder float sums).</summary>
    protected virtual double BatchTolerance => 1e-5;

    /// <summary>Runs the component on a batch and records what it produced per request.</summary>
    protected abstract IReadOnlyList<SlateRecord>[] Run(TComponent component, RerankBatch batch, RerankContext context);

    [Fact]
    public void Options_YamlRoundTrip_EqualOptionsAndOutputs()
    {
        var canonical = ComponentBuilder.CanonicalParams<TComponent>(Plugin, Component, ParamsYaml);
        ComponentBuilder.CanonicalParams<TComponent>(Plugin, Component, canonical)
            .ShouldBe(canonical, $"{Component}: options written as YAML and bound again must be equal");
        var batch = SampleBatch();
        Same(Run(Build(), batch, Context()), Run(Build(canonical), batch, Context()), 0, "built from the round-tripped params");
    }

    [Fact]
    public void Run_SameSeed_SameOutputs()
    {
        var batch = SampleBatch();
        var component = Build();
        var first = Run(component, batch, Context());
        Same(first, Run(component, batch, Context()), 0, "run twice");
        Same(first, Run(Build(), SampleBatch(), Context()), 0, "a fresh instance on a fresh batch");
    }

    [Fact]
    public void Run_OtherBatchComposition_SameOutputsPerRequest()
    {
        var requests = SampleRequests();
        var component = Build();
        var whole = Run(component, Batch(requests), Context());
        var reversed = Run(component, Batch([.. requests.Reverse()]), Context()).Reverse().ToArray();
        Same(whole, reversed, BatchTolerance, "the batch in reverse order");
        var alone = requests.Select(r => Run(component, Batch([r]), Context())[0]).ToArray();
        Same(whole, alone, BatchTolerance, "each request alone (no padding)");
    }

    [Fact]
    public void SaveLoad_RoundTrip_IdenticalOutputs()
    {
        var batch = SampleBatch();
        var component = Build();
        var expected = Run(component, batch, Context());
        if (component is not ITrainable trainable)
        {
            // Nothing to persist: the whole state is the options, so a fresh instance must behave identically.
            Same(expected, Run(Build(), batch, Context()), 0, "a fresh instance (the component keeps no state)");
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"rerank-conformance-{Guid.NewGuid():N}.safetensors");
        try
        {
            trainable.Save(path);
            var fresh = BuildUntrained(ParamsYaml);
            ((ITrainable)fresh).Load(path);
            ((ITrainable)fresh).IsTrained.ShouldBeTrue($"{Component}: IsTrained after Load");
            Same(expected, Run(fresh, batch, Context()), 0, "a fresh instance loaded from the saved file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MismatchedMetadata_RefusedNamingEachMismatch()
    {
        if (!SavesThroughCheckpointContract || BuildUntrained(ParamsYaml) is not ITrainable)
        {
            // Applies to trainable components that write engine checkpoints only: the others persist nothing of theirs.
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"rerank-conformance-{Guid.NewGuid():N}.safetensors");
        try
        {
            ((ITrainable)Build()).Save(path);
            var file = SafeTensors.Load(path);
            var metadata = new Dictionary<string, string>(file.Metadata);
            metadata.GetValueOrDefault(CheckpointMetadata.FormatVersion).ShouldBe("1", $"{Component}: saved through the engine's checkpoint contract");
            var hyper = JsonNode.Parse(metadata[CheckpointMetadata.HyperParameters])!.AsObject();
            var (key, value) = hyper.First();
            hyper[key] = Changed(value);
            metadata[CheckpointMetadata.Plugin] = "not-" + metadata[CheckpointMetadata.Plugin];
            metadata[CheckpointMetadata.PluginVersion] = "99.0.0";
            metadata[CheckpointMetadata.Component] = "not-" + metadata[CheckpointMetadata.Component];
            metadata[CheckpointMetadata.HyperParameters] = hyper.ToJsonString();
            var schema = metadata[CheckpointMetadata.Schema];
            metadata[CheckpointMetadata.Schema] = schema.Insert(schema.IndexOf("; ", StringComparison.Ordinal), ", conformance_extra:Item/Dense/1");
            SafeTensors.Save(path, file.Entries.Select(e => new KeyValuePair<string, Tensor>(e.Name, e.Data!)), metadata);
            var fresh = (ITrainable)BuildUntrained(ParamsYaml);

            var error = Should.Throw<CheckpointMismatchException>(() => fresh.Load(path), $"{Component}: a checkpoint of another plugin, version, component, {key} and schema");

            var problems = string.Join("\n", error.Mismatches);
            error.Mismatches.Count.ShouldBe(5, $"{Component}: one line per mismatch, got\n{problems}");
            error.Mismatches.ShouldContain(m => m.StartsWith("plugin is 'not-", StringComparison.Ordinal), problems);
            error.Mismatches.ShouldContain(m => m.StartsWith("plugin_version 99.0.0 ", StringComparison.Ordinal), problems);
            error.Mismatches.ShouldContain(m => m.StartsWith("component is 'not-", StringComparison.Ordinal), problems);
            error.Mismatches.ShouldContain(m => m.StartsWith($"hyper-parameter '{key}' ", StringComparison.Ordinal), problems);
            error.Mismatches.ShouldContain(m => m.StartsWith("schema differs", StringComparison.Ordinal) && m.Contains("conformance_extra", StringComparison.Ordinal), problems);
            fresh.IsTrained.ShouldBeFalse($"{Component}: a refused checkpoint loads nothing");
        }
        finally
        {
            File.Delete(path);
        }

        static JsonNode Changed(JsonNode? value) => value?.GetValueKind() switch
        {
            JsonValueKind.Number => JsonValue.Create(value.GetValue<double>() + 1),
            JsonValueKind.True or JsonValueKind.False => JsonValue.Create(!value.GetValue<bool>()),
            JsonValueKind.String => JsonValue.Create(value.GetValue<string>() + "-changed"),
            _ => JsonValue.Create("changed"),
        };
    }

    /// <summary>
    /// Loads every committed checkpoint of this component (<see cref="CheckpointFixtures"/>, folder
    /// <c>&lt;plugin&gt;/&lt;fixture&gt;</c>) into a fresh, untrained instance built from <see cref="ParamsYaml"/>, and requires the
    /// outputs recorded when it was saved (scores within 1e-5 relative). A trainable component's conformance class calls it
    /// from a test of its own; with <see cref="CheckpointFixtures.WriteVariable"/> set it first trains and writes the fixture.
    /// </summary>
    /// <param name="fixture">The fixture folder's name, usually the component name.</param>
    protected void VerifyCommittedCheckpoints(string fixture)
    {
        var folder = CheckpointFixtures.Folder(Plugin.Id, fixture);
        if (Environment.GetEnvironmentVariable(CheckpointFixtures.WriteVariable) is { Length: > 0 } label)
        {
            Directory.CreateDirectory(folder);
            var trained = Build();
            ((ITrainable)trained).Save(Path.Combine(folder, $"{label}.safetensors"));
            var header = string.Create(CultureInfo.InvariantCulture,
                $"{Plugin.Id} {Plugin.Version}/{Component}, params {{ {ParamsYaml.Replace("\n", "; ", StringComparison.Ordinal)} }}, seed {Seed}, {BatchSize} sample requests, trained on {TrainingLists} logged lists ({GetType().Name})");
            CheckpointFixtures.WriteExpected(Path.Combine(folder, $"{label}.expected.txt"), header, Run(trained, SampleBatch(), Context()));
        }

        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.safetensors").Order(StringComparer.Ordinal).ToList() : [];
        files.ShouldNotBeEmpty($"{Component}: no committed checkpoint in {folder}");
        foreach (var file in files)
        {
            var fresh = BuildUntrained(ParamsYaml);
            ((ITrainable)fresh).Load(file);
            var expected = CheckpointFixtures.ReadExpected(Path.ChangeExtension(file, ".expected.txt"));
            Same(expected, Run(fresh, SampleBatch(), Context()), 1e-5, $"the committed checkpoint {Path.GetFileName(file)}");
        }
    }

    /// <summary>The sample requests (seeded).</summary>
    protected IReadOnlyList<RerankRequest> SampleRequests() => Data.Requests(BatchSize, Seed);

    /// <summary>A batch of the sample requests.</summary>
    protected RerankBatch SampleBatch() => Batch(SampleRequests());

    /// <summary>A batch of <paramref name="requests"/> under the data's schema.</summary>
    protected RerankBatch Batch(IReadOnlyList<RerankRequest> requests) => RerankBatch.Create(Data.Schema, requests);

    /// <summary>A context with the suite's seed.</summary>
    protected RerankContext Context() => new(Seed);

    /// <summary>Builds the component from <paramref name="paramsYaml"/> (default: <see cref="ParamsYaml"/>) and prepares it (<see cref="Prepare"/>).</summary>
    protected TComponent Build(string? paramsYaml = null)
    {
        var component = BuildUntrained(paramsYaml ?? ParamsYaml);
        Prepare(component);
        return component;
    }

    /// <summary>Builds the component without preparing it.</summary>
    protected TComponent BuildUntrained(string paramsYaml) =>
        ComponentBuilder.Build<TComponent>(Plugin, Component, paramsYaml, Data.Schema, Seed);

    /// <summary>Makes a built component ready to run: by default, trains a trainable one briefly on <see cref="TrainingLists"/> logged lists.</summary>
    protected virtual void Prepare(TComponent component)
    {
        if (component is ITrainable { IsTrained: false } trainable)
        {
            trainable.Train(Data.Training(TrainingLists, Seed), new TrainingContext(Seed));
        }
    }

    /// <summary>Asserts two runs produced the same slates per request (scores within <paramref name="tolerance"/>).</summary>
    protected void Same(IReadOnlyList<SlateRecord>[] expected, IReadOnlyList<SlateRecord>[] actual, double tolerance, string what)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        actual.Length.ShouldBe(expected.Length, $"{Component}: {what} returned results for another number of requests");
        for (var b = 0; b < expected.Length; b++)
        {
            var e = expected[b];
            var a = actual[b];
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"{Component}: request {b} differs for {what}:\n expected {string.Join(" | ", e)}\n actual   {string.Join(" | ", a)}");
            a.Count.ShouldBe(e.Count, detail);
            for (var k = 0; k < e.Count; k++)
            {
                e[k].Matches(a[k], tolerance).ShouldBeTrue(detail);
            }
        }
    }
}
