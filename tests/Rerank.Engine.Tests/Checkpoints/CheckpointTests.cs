using Rerank.Engine.Checkpoints;
using Rerank.Engine.IO;
using Rerank.Engine.Nn;

namespace Rerank.Engine.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private const string Schema = "item_id:Item/Categorical/10, price:Item/Dense/1; priors: ctr; embedding: 4";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rerank-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void SaveLoad_RoundTrip_SameWeightsAndState()
    {
        var path = Path.Combine(_dir, "nested", "m.safetensors");
        var saved = new Linear(3, 2, new Rng(1));
        Checkpoint.Save(saved, path, Identity(), new Dictionary<string, string> { ["mean_price"] = "2.5" });
        var loaded = new Linear(3, 2, new Rng(2));

        var header = Checkpoint.Load(loaded, path, Identity());

        loaded.Weight.ToArray().ShouldBe(saved.Weight.ToArray());
        loaded.Bias!.ToArray().ShouldBe(saved.Bias!.ToArray());
        (header.FormatVersion, header.EngineVersion).ShouldBe((1, Checkpoint.EngineVersion));
        header.State["mean_price"].ShouldBe("2.5");
        Directory.GetFiles(Path.GetDirectoryName(path)!).ShouldBe([path], "written through a temp file that is renamed");
    }

    [Fact]
    public void Save_Metadata_RecordsTheWholeSchemaOfKeys()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        Checkpoint.Save(new Linear(3, 2, new Rng(1)), path, Identity(), new Dictionary<string, string> { ["mean_price"] = "2.5" });

        SafeTensors.Load(path).Metadata.ShouldBe(new Dictionary<string, string>
        {
            ["format_version"] = "1",
            ["engine_version"] = Checkpoint.EngineVersion,
            ["plugin"] = "acme",
            ["plugin_version"] = "1.2.0",
            ["component"] = "ranker",
            ["hyper_parameters"] = """{"width":3,"loss":"ordered"}""",
            ["schema"] = Schema,
            ["state.mean_price"] = "2.5",
        }, ignoreOrder: true);
    }

    [Fact]
    public void Load_EveryFieldMismatched_OneErrorNamingEachAndNothingLoaded()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        Checkpoint.Save(new Linear(3, 2, new Rng(1)), path, Identity());
        var target = new Linear(3, 2, new Rng(2));
        var before = target.Weight.ToArray();
        var other = new CheckpointIdentity("other", "2.0.0", "scorer", HyperParameters.From(new Options { Width = 4 }), Schema.Replace("price:Item/Dense/1", "price:Item/Dense/2", StringComparison.Ordinal));

        var error = Should.Throw<CheckpointMismatchException>(() => Checkpoint.Load(target, path, other));

        error.Mismatches.ShouldBe(
        [
            "plugin is 'acme', expected 'other'",
            "plugin_version 1.2.0 is not compatible with this plugin's 2.0.0 (a checkpoint loads into the same major version)",
            "component is 'ranker', expected 'scorer'",
            "hyper-parameter 'width' is 3 in the checkpoint, 4 here",
            "schema differs: the checkpoint has [price:Item/Dense/1], the data has [price:Item/Dense/2]",
        ]);
        error.Message.ShouldContain(path);
        target.Weight.ToArray().ShouldBe(before);
    }

    [Theory]
    [InlineData("1.0.0", "1.9.3", true)]
    [InlineData("1.4.0", "1.0.0", true)]
    [InlineData("1.0.0", "2.0.0", false)]
    [InlineData("0.1.0", "0.1.7", true)]
    [InlineData("0.1.0", "0.2.0", false)]
    [InlineData("1.0.0-beta.1", "1.0.0", true)]
    public void Load_PluginVersions_SameMajorLoads(string recorded, string current, bool loads)
    {
        var path = Path.Combine(_dir, "m.safetensors");
        Checkpoint.Save(new Linear(3, 2, new Rng(1)), path, Identity() with { PluginVersion = recorded });

        var load = () => Checkpoint.Load(new Linear(3, 2, new Rng(2)), path, Identity() with { PluginVersion = current });

        if (loads)
        {
            load.ShouldNotThrow();
        }
        else
        {
            Should.Throw<CheckpointMismatchException>(load).Mismatches.ShouldHaveSingleItem().ShouldStartWith($"plugin_version {recorded} is not compatible");
        }
    }

    [Fact]
    public void Load_OtherShapeSameMetadata_NamesTheTensor()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        Checkpoint.Save(new Linear(3, 2, new Rng(1)), path, Identity());

        Should.Throw<CheckpointMismatchException>(() => Checkpoint.Load(new Linear(3, 4, new Rng(2)), path, Identity()))
            .Mismatches.ShouldBe(["weight: shape [2, 3], expected [4, 3]", "bias: shape [2], expected [4]"]);
    }

    [Fact]
    public void Load_MetadataAndTensorsMismatched_TensorsCountedAfterTheCause()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        Checkpoint.Save(new Linear(3, 2, new Rng(1)), path, Identity());
        var wider = Identity() with { HyperParameters = HyperParameters.From(new Options { Width = 4 }) };

        Should.Throw<CheckpointMismatchException>(() => Checkpoint.Load(new Linear(4, 2, new Rng(2)), path, wider)).Mismatches.ShouldBe(
        [
            "hyper-parameter 'width' is 3 in the checkpoint, 4 here",
            "and 1 tensor(s) do not fit the model (first: weight: shape [2, 3], expected [2, 4])",
        ]);
    }

    [Fact]
    public void Load_NewerFormat_Refused()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        var module = new Linear(3, 2, new Rng(1));
        var metadata = new Dictionary<string, string>(SafeMetadata(module, path)) { ["format_version"] = "2" };
        module.Save(path, metadata);

        Should.Throw<CheckpointMismatchException>(() => Checkpoint.Load(module, path, Identity())).Mismatches
            .ShouldBe([$"format_version 2 is newer than this engine ({Checkpoint.EngineVersion}) reads (up to 1)"]);
    }

    [Fact]
    public void Load_NoFile_FileNotFoundNamingPathAndComponent()
    {
        var message = Should.Throw<FileNotFoundException>(() => Checkpoint.Load(new Linear(3, 2, new Rng(1)), Path.Combine(_dir, "none.safetensors"), Identity())).Message;

        message.ShouldContain("none.safetensors");
        message.ShouldContain("acme/ranker");
    }

    [Fact]
    public void Load_FormatZeroJsonParams_ComparedPropertyByProperty()
    {
        var path = Path.Combine(_dir, "old.safetensors");
        var module = new Linear(3, 2, new Rng(1));
        // DeGRe's writer left unset (null) options out; the others wrote C# property names and enums as numbers.
        module.Save(path, new Dictionary<string, string> { ["plugin"] = "acme@1.0.0", ["component"] = "acme/ranker", ["params"] = """{"Width":3,"Loss":0}""", ["schema"] = Schema });

        Checkpoint.Load(new Linear(3, 2, new Rng(2)), path, Identity() with { PluginVersion = "1.0.0" }).FormatVersion.ShouldBe(0);
        Should.Throw<CheckpointMismatchException>(() => Checkpoint.Load(new Linear(3, 2, new Rng(2)), path, Identity() with { HyperParameters = HyperParameters.From(new Options { Width = 3, Loss = Loss.Pointwise }) }))
            .Mismatches.ShouldBe(["hyper-parameter 'loss' is 0 in the checkpoint, 1 here"]);
    }

    [Fact]
    public void Load_FormatZeroKeyValuePairs_ComparedByKeyIgnoringCase()
    {
        var path = Path.Combine(_dir, "sort.safetensors");
        var module = new Linear(3, 2, new Rng(1));
        module.Save(path, new Dictionary<string, string>
        {
            ["plugin"] = "acme",
            ["plugin_version"] = "1.0.0",
            ["component"] = "other",
            ["model"] = "ranker",
            ["hyper_parameters"] = "width=3, loss=Ordered",
            ["schema"] = Schema,
            ["mean_price"] = "24.5",
        });

        Checkpoint.Load(new Linear(3, 2, new Rng(2)), path, Identity()).State["mean_price"].ShouldBe("24.5");
        Should.Throw<CheckpointMismatchException>(() => Checkpoint.Load(new Linear(3, 2, new Rng(2)), path, Identity() with { HyperParameters = HyperParameters.From(new { Width = 3 }) }))
            .Mismatches.ShouldBe(["hyper-parameter 'loss' is in the checkpoint (Ordered) but not a hyper-parameter here"]);
    }

    private static CheckpointIdentity Identity() => new("acme", "1.2.0", "ranker", HyperParameters.From(new Options { Width = 3 }), Schema);

    private static Dictionary<string, string> SafeMetadata(Module module, string path)
    {
        Checkpoint.Save(module, path, Identity());
        return new Dictionary<string, string>(SafeTensors.Load(path).Metadata);
    }

    internal enum Loss
    {
        Ordered,
        Pointwise,
    }

    internal sealed class Options
    {
        public int Width { get; set; }

        public Loss Loss { get; set; }

        public string? Note { get; set; }
    }
}
