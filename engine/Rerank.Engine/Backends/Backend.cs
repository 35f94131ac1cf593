using Rerank.Engine.Backends;
using Rerank.Engine.Backends.Cpu;

namespace Rerank.Engine;

/// <summary>Finds the backend for a device. The CPU one is built in; others register here.</summary>
internal static class Backend
{
    private static readonly CpuBackend CpuInstance = new();
    private static IBackend? _cuda;

    public static IBackend For(Device device) => device.Kind switch
    {
        DeviceKind.Cpu => CpuInstance,
        _ => _cuda ?? Cuda.BackendIfAvailable() ?? throw new NotSupportedException($"Device {device} is not usable: {(Cuda.TryInitialize(out var why) ? "no backend registered" : why)}"),
    };

    public static IBackend Of(Tensor t) => For(t.Device);

    /// <summary>Registers a GPU backend (the CUDA backend's entry point).</summary>
    public static void RegisterCuda(IBackend backend) => _cuda = backend;
}
