using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Runtime.Plugins;
using Rerank.Testing;
using static Rerank.Plugins.Onnx.Tests.OnnxFixtures;

namespace Rerank.Plugins.Onnx.Tests;

/// <summary>
/// Two versions of the onnx plugin, a plugin with a native dependency, in one process: 1.0.0 as shipped
/// (<c>artifacts/plugins/onnx/1.0.0/</c>) and the same project built as 1.1.0 by this test project's build
/// (<c>artifacts/fixtures/onnx-versions/onnx/1.1.0/</c>, see Onnx.Tests.csproj), both loaded by the real loader.
/// </summary>
/// <remarks>
/// What happens to ONNX Runtime's native library (Linux, read from <c>/proc/self/maps</c>): each plugin context resolves
/// <c>onnxruntime</c> through its own deps.json to the <c>libonnxruntime.so</c> in its own folder and loads it by that
/// full path. The dynamic loader shares an already loaded library only when the path or the file (device and inode) is
/// the same; the two folders hold two files, so the process maps two copies, each with its own ONNX Runtime globals, and
/// each version's managed ONNX Runtime calls its own. Unloading a plugin's context collects its managed code, but .NET
/// never unloads native libraries: the unloaded version's copy stays mapped until the process ends.
/// </remarks>
public sealed class OnnxPluginVersionsTests
{
    private static readonly string Shipped = Path.Combine(RepoPaths.Root, "artifacts", "plugins", "onnx", "1.0.0");
    private static readonly string Second = Path.Combine(RepoPaths.Root, "artifacts", "fixtures", "onnx-versions", "onnx", "1.1.0");

    [Fact]
    public void TwoVersions_RunSideBySide_EachInItsOwnContextWithItsOwnOnnxRuntime()
    {
        var loader = new PluginLoader();
        using var catalog = new PluginCatalog([Loaded(loader, Shipped), Loaded(loader, Second)]);
        var v1 = catalog.Plugins.Single(p => p.Version!.ToString() == "1.0.0");
        var v2 = catalog.Plugins.Single(p => p.Version!.ToString() == "1.1.0");
        var factory = new ComponentFactory(catalog, Schema, 7);
        var batch = RerankBatch.Create(Schema, Requests(4, 3));

        // "=1.0.0" pins the old version; "^1.0" takes the highest loaded in range, the new one.
        var (old, oldReference) = BuildScorer(factory, "onnx@=1.0.0/scorer");
        var (current, currentReference) = BuildScorer(factory, "onnx@^1.0/scorer");
        try
        {
            oldReference.ShouldBe("onnx@1.0.0/scorer");
            currentReference.ShouldBe("onnx@1.1.0/scorer");
            var fromOld = Score(old, batch);
            var fromCurrent = Score(current, batch);
            var again = Score(old, batch);

            fromCurrent.ShouldBe(fromOld, "the same model on the same batch gives the same scores in both versions");
            again.ShouldBe(fromOld);
            for (var b = 0; b < batch.Count; b++)
            {
                for (var i = 0; i < batch.CandidateCounts[b]; i++)
                {
                    var expected = Dot(Features(batch.Requests[b].Candidates[i]), Weights("linear_w")) + Scalar("linear_b");
                    fromOld[(b * batch.MaxCandidates) + i].ShouldBe(expected, 1e-4, $"request {b}, candidate {i}");
                }
            }

            // Managed: each version's types come from its own collectible context, and so does its ONNX Runtime.
            v1.LoadContext.ShouldNotBeNull();
            v2.LoadContext.ShouldNotBeNull();
            v1.LoadContext.ShouldNotBeSameAs(v2.LoadContext);
            v1.LoadContext!.IsCollectible.ShouldBeTrue();
            v2.LoadContext!.IsCollectible.ShouldBeTrue();
            AssemblyLoadContext.GetLoadContext(old.GetType().Assembly).ShouldBeSameAs(v1.LoadContext);
            AssemblyLoadContext.GetLoadContext(current.GetType().Assembly).ShouldBeSameAs(v2.LoadContext);
            old.GetType().ShouldNotBe(current.GetType());
            var ort1 = OnnxRuntimeOf(v1);
            var ort2 = OnnxRuntimeOf(v2);
            ort1.ShouldNotBeSameAs(ort2);
            ort1.Location.ShouldBe(Path.Combine(Shipped, "Microsoft.ML.OnnxRuntime.dll"));
            ort2.Location.ShouldBe(Path.Combine(Second, "Microsoft.ML.OnnxRuntime.dll"));
            AssemblyLoadContext.GetLoadContext(ort1).ShouldNotBe(AssemblyLoadContext.Default);
            AssemblyLoadContext.GetLoadContext(ort2).ShouldNotBe(AssemblyLoadContext.Default);

            // Native: two copies of libonnxruntime.so are mapped, one from each plugin folder.
            var mapped = MappedOnnxRuntimes();
            mapped.ShouldContain(NativeLibrary(Shipped));
            mapped.ShouldContain(NativeLibrary(Second));
        }
        finally
        {
            ((IDisposable)old).Dispose();
            ((IDisposable)current).Dispose();
        }
    }

    [Fact]
    public void UnloadOneVersion_ItsContextIsCollected_TheOtherKeepsServing()
    {
        // One catalog per version, as a host swaps a generation of plugins: disposing one unloads only its context.
        using var catalog = new PluginCatalog([Loaded(new PluginLoader(), Second)]);
        var (current, _) = BuildScorer(new ComponentFactory(catalog, Schema, 7), "onnx@^1.0/scorer");
        try
        {
            var batch = RerankBatch.Create(Schema, Requests(3, 5));
            var before = Score(current, batch);

            var (context, fromOld) = LoadRunAndUnload(batch);
            for (var i = 0; i < 20 && context.IsAlive; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            context.IsAlive.ShouldBeFalse("onnx 1.0.0's load context is collected once its catalog is disposed");
            fromOld.ShouldBe(before);
            Score(current, batch).ShouldBe(before, "onnx 1.1.0 keeps serving after 1.0.0 was unloaded");
            MappedOnnxRuntimes().ShouldContain(NativeLibrary(Shipped), "native libraries are never unloaded: 1.0.0's copy stays mapped");
        }
        finally
        {
            ((IDisposable)current).Dispose();
        }
    }

    /// <summary>Loads onnx 1.0.0 in a catalog of its own, scores <paramref name="batch"/>, disposes it all; returns its context, weakly.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Context, float[] Scores) LoadRunAndUnload(RerankBatch batch)
    {
        using var catalog = new PluginCatalog([Loaded(new PluginLoader(), Shipped)]);
        var context = new WeakReference(catalog.Plugins.Single().LoadContext.ShouldNotBeNull());
        var (old, reference) = BuildScorer(new ComponentFactory(catalog, Schema, 7), "onnx@^1.0/scorer");
        reference.ShouldBe("onnx@1.0.0/scorer");
        var scores = Score(old, batch);
        ((IDisposable)old).Dispose();
        return (context, scores);
    }

    private static LoadedPlugin Loaded(PluginLoader loader, string folder)
    {
        File.Exists(NativeLibrary(folder)).ShouldBeTrue($"the native library ships in {folder}");
        var plugin = loader.LoadPlugin(folder);
        plugin.Status.ShouldBe(PluginLoadStatus.Loaded, plugin.Error);
        return plugin;
    }

    private static (IStepScorer Scorer, string Reference) BuildScorer(ComponentFactory factory, string use)
    {
        var errors = new List<ConfigError>();
        var spec = new ComponentSpec(use, YamlParams.Parse(FeaturesAndMask, "<params>"), null, new SourceLocation("<test>", 1, 1));
        var built = factory.Build(ComponentKind.Scorer, spec, errors);
        errors.ShouldBeEmpty();
        var scorer = (IStepScorer)built!.Instance;
        ((ITrainable)scorer).Load(Model("scorer_linear.onnx"));
        return (scorer, built.Registration.Reference);
    }

    private static float[] Score(IStepScorer scorer, RerankBatch batch)
    {
        var scores = new float[batch.Count * batch.MaxCandidates];
        using var session = scorer.Begin(batch, new RerankContext(1));
        session.Score(new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []), scores);
        return scores;
    }

    /// <summary>The ONNX Runtime managed assembly the plugin's context has loaded (its code ran, so it has one).</summary>
    private static System.Reflection.Assembly OnnxRuntimeOf(LoadedPlugin plugin) =>
        plugin.LoadContext!.Assemblies.Single(a => a.GetName().Name == "Microsoft.ML.OnnxRuntime");

    private static string NativeLibrary(string folder) => Path.Combine(folder, "runtimes", "linux-x64", "native", "libonnxruntime.so");

    /// <summary>Every distinct libonnxruntime.so file mapped into this process (the path column of /proc/self/maps).</summary>
    private static string[] MappedOnnxRuntimes() =>
    [
        .. File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var at and >= 0 ? line[at..] : "")
            .Where(path => path.EndsWith("/libonnxruntime.so", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal),
    ];
}
