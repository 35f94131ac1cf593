using Rerank.Engine.Backends.Cuda;
using Xunit;

namespace Rerank.Engine.Tests.Cuda;

/// <summary>A fact that needs NVRTC (no GPU): skipped, with the reason, where libnvrtc is absent (e.g. CI).</summary>
internal sealed class NvrtcFactAttribute : FactAttribute
{
    public NvrtcFactAttribute()
    {
        var nvrtc = CudaLibraries.Nvrtc;
        if (!nvrtc.Loaded)
        {
            Skip = $"NVRTC not available: {nvrtc.Reason}";
        }
    }
}

/// <summary>A fact that needs a CUDA GPU: skipped, with the reason, where there is none (CI has none).</summary>
internal sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!Engine.Cuda.TryInitialize(out var reason))
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs a CUDA GPU: skipped, with the reason, where there is none.</summary>
internal sealed class GpuTheoryAttribute : TheoryAttribute
{
    public GpuTheoryAttribute()
    {
        if (!Engine.Cuda.TryInitialize(out var reason))
        {
            Skip = reason;
        }
    }
}
