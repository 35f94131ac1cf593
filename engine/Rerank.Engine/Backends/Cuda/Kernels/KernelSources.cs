using System.Reflection;
using System.Text.RegularExpressions;

namespace Rerank.Engine.Backends.Cuda.Kernels;

/// <summary>
/// The CUDA C sources of every kernel (embedded <c>*.cu</c> files next to this one, each prefixed with
/// <c>common.cuh</c>). The backend compiles them together through NVRTC into one module per process.
/// </summary>
internal static partial class KernelSources
{
    /// <summary>The kernel files, in the order they are concatenated.</summary>
    public static readonly string[] Files = ["elementwise.cu", "softmax.cu", "indexing.cu", "training.cu", "attention.cu"];

    /// <summary>The helpers every kernel file includes.</summary>
    public static string Common => Read("common.cuh");

    /// <summary>One kernel file as a standalone program (common helpers first).</summary>
    public static string Program(string file) => Common + "\n" + Read(file);

    /// <summary>Every kernel in one program.</summary>
    public static string All => Common + "\n" + string.Join("\n", Files.Select(Read));

    /// <summary>The names of the <c>extern "C" __global__</c> kernels in <paramref name="source"/>.</summary>
    public static IReadOnlyList<string> KernelNames(string source) => [.. KernelPattern().Matches(source).Select(m => m.Groups[1].Value)];

    public static string Read(string file)
    {
        var name = "Rerank.Engine.Cuda." + file;
        using var stream = typeof(KernelSources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded kernel source '{name}' is missing from {typeof(KernelSources).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("""extern "C" __global__ void (\w+)\(""")]
    private static partial Regex KernelPattern();
}
