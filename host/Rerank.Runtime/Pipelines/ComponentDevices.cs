using System.Runtime.CompilerServices;
using Rerank.Engine;

namespace Rerank.Runtime.Pipelines;

/// <summary>
/// The YAML <c>device:</c> key of a component (<c>cpu</c>, the default, or <c>cuda</c>). A component asking for
/// <c>cuda</c> on a machine without a usable GPU runs on the CPU; the reason is written once (per log) as one line.
/// </summary>
internal static class ComponentDevices
{
    public static readonly string[] Known = ["cpu", "cuda"];

    private static readonly ConditionalWeakTable<TextWriter, object> Warned = [];

    public static bool IsKnown(string device) => Known.Contains(device, StringComparer.Ordinal);

    /// <summary>The device the component gets: its YAML <c>device:</c> when usable, else <c>cpu</c> (with the one-line notice).</summary>
    public static string Resolve(ComponentSpec spec, TextWriter log)
    {
        if (spec.Device is not "cuda")
        {
            return "cpu";
        }

        if (Cuda.TryInitialize(out var reason))
        {
            return "cuda";
        }

        if (Warned.TryAdd(log, spec))
        {
            log.WriteLine($"warning: device: cuda requested ({spec.Location}: {spec.Reference}) but {reason}; running on the CPU backend");
        }

        return "cpu";
    }
}
