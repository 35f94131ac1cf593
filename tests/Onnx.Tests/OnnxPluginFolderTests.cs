using System.Runtime.Loader;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Testing;
using static Rerank.Plugins.Onnx.Tests.OnnxFixtures;

namespace Rerank.Plugins.Onnx.Tests;

/// <summary>The plugin as the host loads it: from artifacts/plugins/onnx/1.0.0/, with ONNX Runtime's native library from its own folder.</summary>
public sealed class OnnxPluginFolderTests
{
    [Fact]
    public void LoadedFromItsFolder_RunsOnnxRuntimeInItsOwnContext()
    {
        var folder = Path.Combine(RepoPaths.Root, "artifacts", "plugins", "onnx", "1.0.0");
        File.Exists(Path.Combine(folder, "runtimes", "linux-x64", "native", "libonnxruntime.so")).ShouldBeTrue("the native library ships in the plugin's folder");
        File.Exists(Path.Combine(folder, "Rerank.Abstractions.dll")).ShouldBeFalse("the contracts are the host's");
        var plugin = new PluginLoader().LoadPlugin(folder);
        plugin.Status.ShouldBe(PluginLoadStatus.Loaded, plugin.Error);
        using var catalog = new PluginCatalog([plugin]);
        var factory = new ComponentFactory(catalog, Schema, 7);
        var errors = new List<ConfigError>();
        var spec = new ComponentSpec("onnx@^1.0/scorer", YamlParams.Parse(FeaturesAndMask, "<params>"), null, new SourceLocation("<test>", 1, 1));

        var built = factory.Build(ComponentKind.Scorer, spec, errors);

        errors.ShouldBeEmpty();
        var scorer = (IStepScorer)built!.Instance;
        ((ITrainable)scorer).Load(Model("scorer_linear.onnx"));
        var batch = RerankBatch.Create(Schema, Requests(3, 2));
        var scores = new float[batch.Count * batch.MaxCandidates];
        using (var session = scorer.Begin(batch, new RerankContext(1)))
        {
            session.Score(new StepRows(0, [0, 1, 2], [-1, -1, -1], []), scores);
        }

        scores[0].ShouldBe(Dot(Features(batch.Requests[0].Candidates[0]), Weights("linear_w")) + Scalar("linear_b"), 1e-4);
        var onnxRuntime = scorer.GetType().Assembly.GetReferencedAssemblies().Single(a => a.Name == "Microsoft.ML.OnnxRuntime");
        AssemblyLoadContext.GetLoadContext(scorer.GetType().Assembly).ShouldBe(plugin.LoadContext);
        plugin.LoadContext!.Assemblies.ShouldContain(a => a.GetName().Name == onnxRuntime.Name, "ONNX Runtime's managed assembly loads in the plugin's context");
    }
}

/// <summary>Whether the plugin's load context can be collected after ONNX Runtime ran in it.</summary>
public sealed class OnnxPluginUnloadTests
{
    [Fact]
    public void Unload_AfterRunning_ContextIsCollected()
    {
        var weak = LoadRunAndUnload();
        for (var i = 0; i < 20 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        weak.IsAlive.ShouldBeFalse("the onnx plugin's load context is collected once its catalog is disposed");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference LoadRunAndUnload()
    {
        var folder = Path.Combine(RepoPaths.Root, "artifacts", "plugins", "onnx", "1.0.0");
        var plugin = new PluginLoader().LoadPlugin(folder);
        plugin.Status.ShouldBe(PluginLoadStatus.Loaded, plugin.Error);
        plugin.LoadContext.ShouldNotBeNull();
        var weak = new WeakReference(plugin.LoadContext);
        using (var catalog = new PluginCatalog([plugin]))
        {
            var factory = new ComponentFactory(catalog, Schema, 7);
            var errors = new List<ConfigError>();
            var spec = new ComponentSpec("onnx@^1.0/scorer", YamlParams.Parse(FeaturesAndMask, "<params>"), null, new SourceLocation("<test>", 1, 1));
            var scorer = (IStepScorer)factory.Build(ComponentKind.Scorer, spec, errors)!.Instance;
            ((ITrainable)scorer).Load(Model("scorer_linear.onnx"));
            var batch = RerankBatch.Create(Schema, Requests(2, 2));
            using (var session = scorer.Begin(batch, new RerankContext(1)))
            {
                session.Score(new StepRows(0, [0, 1], [-1, -1], []), new float[batch.Count * batch.MaxCandidates]);
            }

            ((IDisposable)scorer).Dispose();
        }

        return weak;
    }
}
