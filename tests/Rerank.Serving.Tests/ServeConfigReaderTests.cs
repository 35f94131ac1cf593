using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Serving;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class ServeConfigReaderTests
{
    [Fact]
    public void Read_NoServeYaml_UsesSimulatorSchemaAndDefaults()
    {
        var settings = ServeConfigReader.Read(ServingFixtures.NewFolder(), new ServeOverrides());
        settings.Schema.ShouldBe(DefaultSchema.Serving);
        settings.Schema.PriorNames.ShouldBe(["ctr", "cvr"]);
        settings.Schema.EmbeddingWidth.ShouldBe(16);
        settings.Batching.ShouldBe(BatchingSettings.Default);
        settings.Limits.ShouldBe(LimitSettings.Default);
    }

    [Fact]
    public void Read_ServeYamlWithSchemaAndOverrides_AppliesBothCommandLineWinning()
    {
        var folder = ServingFixtures.NewFolder();
        File.WriteAllText(Path.Combine(folder, "schema.yaml"), "fields:\n  - { name: item_id, kind: categorical, side: item, size: 50 }\n  - { name: price_bucket, kind: dense, side: item, size: 2 }\npriors: [ctr]\nembedding: 4\n");
        File.WriteAllText(Path.Combine(folder, "serve.yaml"), "schema: schema.yaml\nbatching:\n  max_batch_size: 16\n  max_queue_delay_us: 250\n  pipelines:\n    heavy: { max_batch_size: 4 }\nlimits: { deadline_ms: 40, max_candidates: 300 }\nworkers: 3\nseed: 9\nadmin_token: abc\n");
        var settings = ServeConfigReader.Read(folder, new ServeOverrides { MaxQueueDelayMicroseconds = 0, DeadlineMilliseconds = 80 });
        settings.Schema.Fields.Select(f => f.Name).ShouldBe(["item_id", "price_bucket"]);
        settings.Schema.DenseWidth(FeatureSide.Item).ShouldBe(2);
        settings.SchemaFilePath.ShouldBe(Path.Combine(folder, "schema.yaml"));
        settings.Batching.ShouldBe(new BatchingSettings(16, 0));
        settings.BatchingFor("heavy").ShouldBe(new BatchingSettings(4, 250));
        settings.Limits.Deadline.ShouldBe(TimeSpan.FromMilliseconds(80));
        settings.Limits.MaxCandidates.ShouldBe(300);
        (settings.Workers, settings.Seed, settings.AdminToken).ShouldBe((3, 9UL, "abc"));
    }

    [Theory]
    [InlineData(null, null, true, ServeSettings.GpuWorkers)] // unset: a pipeline on a usable GPU gets GpuWorkers
    [InlineData(null, null, false, 16)] // no usable GPU: the CPU default
    [InlineData("workers: 6\n", null, true, 6)] // set in serve.yaml: kept
    [InlineData(null, 5, true, 5)] // set with --workers: kept
    public void WorkersFor_GpuPipeline_DefaultsToGpuWorkersUnlessSet(string? serveYaml, int? cliWorkers, bool gpu, int expected)
    {
        var folder = ServingFixtures.NewFolder();
        if (serveYaml is not null)
        {
            File.WriteAllText(Path.Combine(folder, "serve.yaml"), serveYaml);
        }

        // The CPU default is the core count; pin it to 16 so the cases read the same on any machine.
        var settings = ServeConfigReader.Read(folder, new ServeOverrides { Workers = cliWorkers }) is var s && s.WorkersSet ? s : s with { Workers = 16 };
        var errors = new List<ConfigError>();
        var onGpu = PipelineParser.ParseText("name: g\nstages:\n  - generate: { use: probe@1.0/generator }\n  - evaluate: { use: probe@1.0/evaluator, device: cuda }\n", "g.yaml", folder, errors)!;
        var onCpu = PipelineParser.ParseText("name: c\nstages:\n  - generate: { use: probe@1.0/generator }\n  - evaluate: { use: probe@1.0/evaluator }\n", "c.yaml", folder, errors)!;
        errors.ShouldBeEmpty();
        var asked = 0;
        settings.WorkersFor(onGpu, () => { asked++; return gpu; }).ShouldBe(expected);
        settings.WorkersFor(onCpu, () => { asked++; return gpu; }).ShouldBe(settings.Workers, "a CPU pipeline keeps the default");
        asked.ShouldBeLessThanOrEqualTo(1, "CUDA is probed only for a pipeline that asks for it");
    }

    [Fact]
    public void Read_BadServeYaml_ThrowsWithEveryErrorAndLocation()
    {
        var folder = ServingFixtures.NewFolder();
        File.WriteAllText(Path.Combine(folder, "serve.yaml"), "batching: { max_batch_size: 0 }\nlimits: { deadline: 5 }\nschema: missing.yaml\n");
        var e = Should.Throw<ConfigException>(() => ServeConfigReader.Read(folder, new ServeOverrides()));
        var messages = e.Errors.Select(x => x.ToString()).ToList();
        messages.ShouldContain(m => m.Contains("serve.yaml:1:", StringComparison.Ordinal) && m.Contains("'max_batch_size' must be in [1, 65536], got 0", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("serve.yaml:2:", StringComparison.Ordinal) && m.Contains("unknown key 'deadline'", StringComparison.Ordinal));
        messages.ShouldContain(m => m.Contains("file not found", StringComparison.Ordinal) && m.Contains("missing.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_RunawayNumbers_AreErrorsNamingKeyRangeAndValue()
    {
        var folder = ServingFixtures.NewFolder();
        File.WriteAllText(Path.Combine(folder, "serve.yaml"), "workers: 100000\nlimits: { max_body_bytes: 99999999999, deadline_ms: 600001 }\nbatching: { max_queue_delay_us: 10000001 }\n");

        var e = Should.Throw<ConfigException>(() => ServeConfigReader.Read(folder, new ServeOverrides()));

        e.Errors.Select(x => x.Message).ShouldBe(
        [
            "serve.yaml: batching: 'max_queue_delay_us' must be in [0, 10000000], got 10000001",
            "serve.yaml: limits: 'max_body_bytes' must be in [64, 1073741824], got 99999999999",
            "serve.yaml: limits: 'deadline_ms' must be in [1, 600000], got 600001",
            "serve.yaml: 'workers' must be in [1, 1024], got 100000",
        ]);
    }

    [Fact]
    public void Read_SchemaSizeOutOfRange_NamesTheField()
    {
        var folder = ServingFixtures.NewFolder();
        File.WriteAllText(Path.Combine(folder, "schema.yaml"), "fields:\n  - { name: item_id, kind: categorical, side: item, size: 2000000000 }\nembedding: 5000\n");

        var e = Should.Throw<ConfigException>(() => ServeConfigReader.Read(folder, new ServeOverrides { SchemaPath = Path.Combine(folder, "schema.yaml") }));

        e.Errors.Select(x => x.Message).ShouldBe(
        [
            "schema field 'item_id': 'size' must be in [1, 10000000], got 2000000000",
            "schema: 'embedding' must be in [0, 4096], got 5000",
        ]);
    }

    [Fact]
    public void Read_BadSchemaFile_NamesTheField()
    {
        var folder = ServingFixtures.NewFolder();
        var path = Path.Combine(folder, "schema.yaml");
        File.WriteAllText(path, "fields:\n  - { name: item_id, kind: categorial, side: item, size: 5 }\n");
        var errors = new List<ConfigError>();
        SchemaFile.Read(path, errors).ShouldBeNull();
        errors.ShouldHaveSingleItem().ToString().ShouldContain("schema field 'item_id': kind 'categorial' is not one of categorical, dense");
    }
}
