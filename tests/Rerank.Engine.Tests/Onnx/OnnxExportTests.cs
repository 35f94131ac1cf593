using Rerank.Engine.Checkpoints;
using Rerank.Engine.Onnx;

namespace Rerank.Engine.Tests.Onnx;

public sealed class OnnxExportTests
{
    [Fact]
    public void MetadataFor_IdentityKindModelKeysAndSettings_SettingsWinOnAClash()
    {
        var identity = new CheckpointIdentity("p", "1.2.3", "evaluator", HyperParameters.From(new { Width = 4 }), "schema-text");
        var settings = new OnnxExportSettings("evaluator", new Dictionary<string, string> { ["rerank.pipeline"] = "x", ["rerank.max_positions"] = "7" });

        var metadata = OnnxExport.MetadataFor(identity, "evaluator", settings, [new("rerank.max_positions", "10"), new("rerank.extra", "e")]);

        metadata["rerank.plugin"].ShouldBe("p");
        metadata["rerank.plugin_version"].ShouldBe("1.2.3");
        metadata["rerank.component"].ShouldBe("evaluator");
        metadata["rerank.kind"].ShouldBe("evaluator");
        metadata["rerank.options"].ShouldBe(identity.HyperParameters.Json);
        metadata["rerank.schema"].ShouldBe("schema-text");
        metadata["rerank.engine_version"].ShouldBe(OnnxExport.EngineVersion);
        metadata["rerank.extra"].ShouldBe("e");
        metadata["rerank.pipeline"].ShouldBe("x");
        metadata["rerank.max_positions"].ShouldBe("7");
    }
}
