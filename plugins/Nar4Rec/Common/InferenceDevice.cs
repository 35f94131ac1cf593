using Rerank.Abstractions;
using Rerank.Engine;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>The engine device for a component's <see cref="ComponentContext.Device"/> (<c>cpu</c> or <c>cuda</c>).</summary>
internal static class InferenceDevice
{
    public static Device Of(ComponentContext context) => context.Device switch
    {
        "cuda" => Cuda.Device,
        "cpu" => Device.Cpu,
        _ => throw new ComponentException($"{context.ComponentName}: device '{context.Device}' is not one of cpu, cuda"),
    };
}
