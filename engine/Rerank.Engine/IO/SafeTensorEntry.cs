namespace Rerank.Engine.IO;

/// <summary>One tensor of a safetensors file: its name, dtype code (e.g. "F32"), shape and, for F32, its data.</summary>
/// <param name="Name">The tensor's key in the header.</param>
/// <param name="Dtype">The safetensors dtype code.</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="Data">The values as a CPU tensor when <paramref name="Dtype"/> is F32, else null.</param>
public sealed record SafeTensorEntry(string Name, string Dtype, int[] Shape, Tensor? Data)
{
    /// <summary>The dtype code of float32.</summary>
    public const string Float32 = "F32";
}

/// <summary>The content of a safetensors file.</summary>
/// <param name="Entries">The tensors in file order.</param>
/// <param name="Metadata">The <c>__metadata__</c> string map (empty when absent).</param>
public sealed record SafeTensorsFile(IReadOnlyList<SafeTensorEntry> Entries, IReadOnlyDictionary<string, string> Metadata);
