using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Onnx;
using Xunit.Abstractions;
using static Rerank.Plugins.Nar4Rec.Tests.Support;

namespace Rerank.Plugins.Nar4Rec.Tests.Export;

/// <summary>
/// Export parity (#19): the NAR4Rec sequence evaluator trained by the engine, exported to ONNX and served by the real
/// <c>onnx@^1.0/evaluator</c>, gives the engine's slate values (max abs difference ≤ 1e-4) and picks the same best slate,
/// on 200 requests of K = 4 slates of different lengths in padded batches.
/// </summary>
public sealed class EvaluatorOnnxExportParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("dimension: 16\nheads: 2\nfeed_forward: 32\nfield_width: 4\nepochs: 2\nbatch_size: 16\nlearning_rate: 0.003")]
    [InlineData("dimension: 8\nheads: 4\nlayers: 2\nfeed_forward: 16\nfield_width: 4\npositions: 8\nclick_weight: 0.7\nconversion_weight: 2.5\nepochs: 1\nbatch_size: 16")]
    public void Evaluator_ExportedAsOnnxEvaluator_MatchesEngineValuesAndBestSlates(string paramsYaml)
    {
        var engine = ComponentBuilder.Build<IEvaluator>(new Nar4RecPlugin(), "evaluator", paramsYaml, Data.Schema, 3);
        ((ITrainable)engine).Train(Data.Training(120, 5), new TrainingContext(5));
        var export = ((IOnnxExportable)engine).ExportOnnx(new OnnxExportSettings("evaluator"));
        var path = Path.Combine(Path.GetTempPath(), $"nar4rec-evaluator-{Guid.NewGuid():N}.onnx");
        export.Save(path);
        var onnx = ComponentBuilder.Build<IEvaluator>(new OnnxPlugin(), "evaluator", export.ParamsYaml(), Data.Schema, 7);
        try
        {
            ((ITrainable)onnx).Load(path);
            var (worst, same, values) = EvaluatorParity.Compare(engine, onnx, Data.Schema, Data.Requests(200, 77), maxLength: 8);
            output.WriteLine($"nar4rec evaluator ({paramsYaml.ReplaceLineEndings(", ")}) exported to ONNX ({new FileInfo(path).Length} bytes), served by onnx@^1.0/evaluator: 200 requests in 8 padded batches, K = 4 slates of lengths 1-8, {values} slate values, max abs difference {worst:G3}, same best slate {same}/200");
            output.WriteLine(export.ServingYaml("evaluator", path));
            worst.ShouldBeLessThanOrEqualTo(1e-4);
            same.ShouldBe(200);
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }

    [Fact]
    public void Evaluator_Export_WritesMetadataAndRefusesUntrainedOrOtherKinds()
    {
        var engine = ComponentBuilder.Build<IEvaluator>(new Nar4RecPlugin(), "evaluator", "dimension: 8\nheads: 2\nfeed_forward: 16\nfield_width: 4\nepochs: 1", Data.Schema, 3);
        var exportable = (IOnnxExportable)engine;
        exportable.CanExportOnnx.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings("evaluator"))).Message.ShouldContain("not trained");
        ((ITrainable)engine).Train(Data.Training(32, 5), new TrainingContext(5));
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings("scorer"))).Message.ShouldContain("onnx@^1.0/evaluator");
        var export = exportable.ExportOnnx(new OnnxExportSettings("evaluator", new Dictionary<string, string> { ["rerank.experiment"] = "e" }));
        export.Metadata["rerank.plugin"].ShouldBe("nar4rec");
        export.Metadata["rerank.component"].ShouldBe("evaluator");
        export.Metadata["rerank.kind"].ShouldBe("evaluator");
        export.Metadata["rerank.options"].ShouldContain("\"click_weight\"");
        export.Metadata["rerank.schema"].ShouldBe(Data.Schema.Describe());
        export.Metadata["rerank.engine_version"].ShouldBe(OnnxExport.EngineVersion);
        export.Metadata["rerank.max_positions"].ShouldBe("10");
        export.Metadata["rerank.experiment"].ShouldBe("e");
        export.Output.ShouldBe("utility");
        export.OutputKind.ShouldBe("");
        export.Inputs.ShouldContain(new KeyValuePair<string, string>("slate_mask", "slate_mask"));
        export.Inputs.ShouldContain(new KeyValuePair<string, string>("history_embeddings", "history_embeddings"));
    }
}
