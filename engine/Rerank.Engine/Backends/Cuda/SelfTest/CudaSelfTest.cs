using Rerank.Engine.Backends;

namespace Rerank.Engine;

/// <summary>
/// Checks every GPU kernel against the CPU backend (the reference) on seeded random inputs: each check runs the same
/// backend call on both devices and compares the outputs as max |gpu − cpu| / max(1, |cpu|) (absolute error for values
/// up to 1, relative above) against a stated tolerance. Used by <c>rerank gpu check</c> and the GPU tests.
/// </summary>
public static partial class CudaSelfTest
{
    /// <summary>The name of every check, in run order.</summary>
    public static IReadOnlyList<string> Names => [.. Checks.Select(c => c.Name)];

    /// <summary>Runs every check on the CUDA device against the CPU.</summary>
    /// <exception cref="NotSupportedException">No usable GPU (the message says why).</exception>
    public static IReadOnlyList<KernelCheck> Run(ulong seed = 7)
    {
        if (!Cuda.TryInitialize(out var reason))
        {
            throw new NotSupportedException(reason);
        }

        return [.. Checks.Select(c => Run(c, Device.Cpu, Cuda.Device, seed))];
    }

    /// <summary>Runs one check by name on <paramref name="target"/> against <paramref name="reference"/>.</summary>
    /// <exception cref="ArgumentException">No check has that name.</exception>
    public static KernelCheck Run(string name, Device reference, Device target, ulong seed = 7)
    {
        var check = Checks.FirstOrDefault(c => c.Name == name)
            ?? throw new ArgumentException($"No kernel check named '{name}'; known: {string.Join(", ", Names)}.", nameof(name));
        return Run(check, reference, target, seed);
    }

    private static KernelCheck Run(Check check, Device reference, Device target, ulong seed)
    {
        try
        {
            var expected = check.Body(new Inputs(reference, seed));
            var actual = check.Body(new Inputs(target, seed));
            var error = MaxError(expected, actual);
            return new KernelCheck(check.Name, error, check.Tolerance, error <= check.Tolerance, null);
        }
        catch (Exception e) when (e is CudaException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return new KernelCheck(check.Name, double.NaN, check.Tolerance, false, e.Message);
        }
    }

    /// <summary>max |b − a| / max(1, |a|); equal infinities count as 0, a NaN or a length mismatch as +∞.</summary>
    internal static double MaxError(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length)
        {
            return double.PositiveInfinity;
        }

        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            double a = expected[i], b = actual[i];
            if (a == b)
            {
                continue;
            }

            if (double.IsNaN(a) || double.IsNaN(b) || double.IsInfinity(a) || double.IsInfinity(b))
            {
                return double.PositiveInfinity;
            }

            worst = Math.Max(worst, Math.Abs(b - a) / Math.Max(1.0, Math.Abs(a)));
        }

        return worst;
    }

    /// <summary>Seeded inputs created on the CPU and copied to the device under test (the same values on both runs).</summary>
    private sealed class Inputs(Device device, ulong seed)
    {
        private readonly Rng _rng = new(seed);

        public Device Device { get; } = device;

        public IBackend B => Backend.For(Device);

        public Rng Rng => _rng;

        public Tensor Normal(params int[] dims) => Tensor.Normal(new TensorShape(dims), _rng).ToDevice(Device);

        public Tensor Uniform(float low, float high, params int[] dims) => Tensor.Uniform(new TensorShape(dims), _rng, low, high).ToDevice(Device);

        /// <summary>A 0/1 mask with about <paramref name="keep"/> of ones.</summary>
        public Tensor Mask(float keep, params int[] dims)
        {
            var shape = new TensorShape(dims);
            var host = new float[shape.Count];
            for (var i = 0; i < host.Length; i++)
            {
                host[i] = _rng.NextFloat() < keep ? 1f : 0f;
            }

            return Tensor.FromArray(host, shape, Device);
        }

        public Tensor Empty(params int[] dims) => Tensor.HeapZeros(new TensorShape(dims), Device);

        public int[] Index(int count, int limit, bool withNegatives)
        {
            var index = new int[count];
            for (var i = 0; i < count; i++)
            {
                index[i] = withNegatives && _rng.NextFloat() < 0.15f ? -1 : _rng.NextInt(limit);
            }

            return index;
        }
    }

    private sealed record Check(string Name, double Tolerance, Func<Inputs, float[]> Body);
}

/// <summary>One kernel check: the worst error against the CPU, the tolerance, the verdict, and an error message when the run failed.</summary>
/// <param name="Kernel">The check's name (the IBackend kernel and the case).</param>
/// <param name="MaxError">max |gpu − cpu| / max(1, |cpu|) over every output element.</param>
/// <param name="Tolerance">The largest error accepted.</param>
/// <param name="Passed">Whether the error is within the tolerance.</param>
/// <param name="Error">Why the check could not run, or null.</param>
public sealed record KernelCheck(string Kernel, double MaxError, double Tolerance, bool Passed, string? Error);
