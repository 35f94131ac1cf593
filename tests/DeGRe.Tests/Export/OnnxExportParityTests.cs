using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine.Onnx;
using Rerank.Plugins.Onnx;
using Xunit.Abstractions;
using static Rerank.Plugins.DeGRe.Tests.Fixtures;

namespace Rerank.Plugins.DeGRe.Tests.Export;

/// <summary>
/// Export parity (#19): DeGRe-E (the lookahead evaluator, with and without its list-context and history-affinity fields)
/// and the pointwise DNN evaluator, trained by the engine, exported to ONNX and served by the real
/// <c>onnx@^1.0/evaluator</c>, give the engine's slate values (max abs difference ≤ 1e-4) and pick the same best slate, on
/// 200 requests of K = 4 slates of different lengths in padded batches.
/// </summary>
public sealed class OnnxExportParityTests(ITestOutputHelper output)
{
    private const string Tiny = "layers: 1\nmodel_width: 16\nheads: 2\nembedding_size: 8\nfield_heads: 2\nepochs: 2\nbatch_size: 16";

    [Theory]
    [InlineData(Tiny)]
    [InlineData("layers: 2\nmodel_width: 16\nheads: 4\nembedding_size: 8\nfield_heads: 4\nhistory_window: 3\nmax_length: 8\nlist_context: true\nhistory_affinity: true\nexclude_fields: [item_id]\nepochs: 1\nbatch_size: 16")]
    [InlineData("layers: 1\nmodel_width: 8\nheads: 2\nembedding_size: 4\nfield_heads: 1\nhistory_window: 4\nhistory_affinity: true\nepochs: 1\nbatch_size: 16")]
    public void Evaluator_ExportedAsOnnxEvaluator_MatchesEngineValuesAndBestSlates(string paramsYaml) =>
        Parity("evaluator", paramsYaml);

    [Theory]
    [InlineData("embedding_size: 8\nhidden: 16\nepochs: 2\nbatch_size: 16")]
    [InlineData("embedding_size: 4\nhidden: 8\nhistory_window: 2\nmax_length: 8\nexclude_fields: [category]\nepochs: 1\nbatch_size: 16")]
    public void Dnn_ExportedAsOnnxEvaluator_MatchesEngineValuesAndBestSlates(string paramsYaml) =>
        Parity("dnn", paramsYaml);

    [Theory]
    [InlineData("evaluator", Tiny)]
    [InlineData("dnn", "embedding_size: 8\nhidden: 16\nepochs: 1")]
    public void Export_WritesMetadataAndRefusesUntrained(string component, string paramsYaml)
    {
        var engine = ComponentBuilder.Build<IEvaluator>(new DeGRePlugin(), component, paramsYaml, Data.Schema, 3);
        var exportable = (IOnnxExportable)engine;
        exportable.CanExportOnnx.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => exportable.ExportOnnx(new OnnxExportSettings("evaluator"))).Message.ShouldContain("not trained");
        ((ITrainable)engine).Train(Data.Training(32, 5), new TrainingContext(5));
        var export = exportable.ExportOnnx(new OnnxExportSettings("evaluator", new Dictionary<string, string> { ["rerank.experiment"] = "e" }));
        export.Metadata["rerank.plugin"].ShouldBe("degre");
        export.Metadata["rerank.plugin_version"].ShouldBe("1.0.0");
        export.Metadata["rerank.component"].ShouldBe(component);
        export.Metadata["rerank.kind"].ShouldBe("evaluator");
        export.Metadata["rerank.options"].ShouldContain("\"embedding_size\"");
        export.Metadata["rerank.schema"].ShouldBe(Data.Schema.Describe());
        export.Metadata["rerank.engine_version"].ShouldBe(OnnxExport.EngineVersion);
        export.Metadata["rerank.max_positions"].ShouldBe("10");
        export.Metadata["rerank.experiment"].ShouldBe("e");
        export.Inputs.ShouldContain(new KeyValuePair<string, string>("slate_mask", "slate_mask"));
        export.Inputs.Select(i => i.Key).ShouldBeUnique();
    }

    [Fact]
    public void Evaluator_ExportAsScorer_RefusedNamingPrefixValues()
    {
        var engine = ComponentBuilder.Build<IEvaluator>(new DeGRePlugin(), "evaluator", Tiny, Data.Schema, 3);
        ((ITrainable)engine).Train(Data.Training(32, 5), new TrainingContext(5));

        var error = Should.Throw<InvalidOperationException>(() => ((IOnnxExportable)engine).ExportOnnx(new OnnxExportSettings("scorer")));

        error.Message.ShouldContain("onnx@^1.0/evaluator");
        error.Message.ShouldContain("prefix values");
    }

    [Theory]
    [InlineData("evaluator", Tiny)]
    [InlineData("dnn", "embedding_size: 8\nhidden: 16\nepochs: 2\nbatch_size: 16")]
    public void Export_SchemaWithContextFeatures_ReadsThemAndMatchesEngine(string component, string paramsYaml)
    {
        var (schema, training, requests) = WithContext();
        ((IOnnxExportable)ComponentBuilder.Build<IEvaluator>(new DeGRePlugin(), component, paramsYaml, schema, 3)).CanExportOnnx.ShouldBeTrue();
        var inputs = Parity(component, paramsYaml, schema, training, requests);
        inputs.ShouldContain("context_categorical");
        inputs.ShouldContain("context_dense");
        inputs.ShouldContain("user_dense");
    }

    private void Parity(string component, string paramsYaml) => Parity(component, paramsYaml, Data.Schema, Data.Training(120, 5), Data.Requests(200, 77));

    /// <summary>Trains, exports, serves and compares; returns the export's input sources.</summary>
    private string[] Parity(string component, string paramsYaml, FeatureSchema schema, TrainingData training, IReadOnlyList<RerankRequest> requests)
    {
        var engine = ComponentBuilder.Build<IEvaluator>(new DeGRePlugin(), component, paramsYaml, schema, 3);
        ((ITrainable)engine).Train(training, new TrainingContext(5));
        var export = ((IOnnxExportable)engine).ExportOnnx(new OnnxExportSettings("evaluator"));
        var path = Path.Combine(Path.GetTempPath(), $"degre-{component}-{Guid.NewGuid():N}.onnx");
        export.Save(path);
        var onnx = ComponentBuilder.Build<IEvaluator>(new OnnxPlugin(), "evaluator", export.ParamsYaml(), schema, 7);
        try
        {
            ((ITrainable)onnx).Load(path);
            var (worst, same, values) = EvaluatorParity.Compare(engine, onnx, schema, requests, maxLength: 8);
            var context = schema == Data.Schema ? "" : ", schema with context and user dense fields";
            output.WriteLine($"degre {component} ({paramsYaml.ReplaceLineEndings(", ")}{context}) exported to ONNX ({new FileInfo(path).Length} bytes), served by onnx@^1.0/evaluator: 200 requests in 8 padded batches, K = 4 slates of lengths 1-8, {values} slate values, max abs difference {worst:G3}, same best slate {same}/200");
            output.WriteLine(export.ServingYaml("evaluator", path));
            worst.ShouldBeLessThanOrEqualTo(1e-4);
            same.ShouldBe(200);
            return [.. export.Inputs.Select(i => i.Value)];
        }
        finally
        {
            (onnx as IDisposable)?.Dispose();
            File.Delete(path);
        }
    }
}
