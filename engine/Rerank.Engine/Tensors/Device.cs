namespace Rerank.Engine;

/// <summary>The kind of memory and processor a tensor lives on.</summary>
public enum DeviceKind
{
    /// <summary>Host memory, CPU kernels.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through the CUDA backend (see docs/gpu.md and <see cref="Engine.Cuda"/>).</summary>
    Cuda,
}

/// <summary>Where a tensor lives. Every kernel dispatches through the backend registered for the device.</summary>
/// <param name="Kind">The processor kind.</param>
/// <param name="Index">The ordinal among devices of that kind.</param>
public readonly record struct Device(DeviceKind Kind, int Index)
{
    /// <summary>The CPU.</summary>
    public static Device Cpu { get; } = new(DeviceKind.Cpu, 0);

    /// <summary>Formats as <c>cpu</c> or <c>cuda:0</c>.</summary>
    public override string ToString() => Kind == DeviceKind.Cpu ? "cpu" : $"cuda:{Index}";
}
