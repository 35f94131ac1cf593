using Rerank.Engine.Backends.Cuda;

namespace Rerank.Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// A copy of this tensor on <paramref name="device"/> (this tensor itself when it is already there). The copy has
    /// no tape history; on a CUDA device it is queued on the device's stream.
    /// </summary>
    /// <exception cref="NotSupportedException">The device is not usable (e.g. no GPU; the message says why).</exception>
    public Tensor ToDevice(Device device)
    {
        if (device == Device)
        {
            return this;
        }

        var t = Empty(Shape, device);
        CopyAcross(this, t);
        t.Name = Name;
        return t;
    }

    /// <summary>A CPU copy of this tensor (this tensor itself when it is on the CPU).</summary>
    public Tensor ToCpu() => ToDevice(Engine.Device.Cpu);

    /// <summary>A tensor on <paramref name="device"/> holding a copy of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data length does not match the shape.</exception>
    public static Tensor FromArray(ReadOnlySpan<float> data, TensorShape shape, Device device)
    {
        if (device.Kind == DeviceKind.Cpu)
        {
            return FromArray(data, shape);
        }

        if (data.Length != shape.Count)
        {
            throw new ArgumentException($"{data.Length} values do not fill shape {shape} ({shape.Count} elements).", nameof(data));
        }

        var t = Empty(shape, device);
        ((CudaBackend)Backend.Of(t)).Upload(data, t);
        return t;
    }

    /// <summary>Moves this tensor's data to <paramref name="device"/> in place (parameters: modules keep their references); drops its gradient.</summary>
    internal void MoveTo(Device device)
    {
        if (device == Device)
        {
            return;
        }

        var moved = new Tensor(Backend.For(device).Allocate(Count), 0, Shape);
        CopyAcross(this, moved);
        Storage = moved.Storage;
        Offset = 0;
        Grad = null;
    }

    /// <summary>dst = src across devices: device→device copies stay on the backend, host↔device go through the CUDA stream.</summary>
    internal static void CopyAcross(Tensor src, Tensor dst)
    {
        if (src.Count != dst.Count)
        {
            throw new ArgumentException($"Cannot copy tensor{src.Describe()} of shape {src.Shape} into one of shape {dst.Shape}.");
        }

        if (src.Device == dst.Device)
        {
            Backend.Of(src).Copy(src, dst);
        }
        else if (src.Storage is CpuStorage)
        {
            ((CudaBackend)Backend.Of(dst)).Upload(src.Span, dst);
        }
        else if (dst.Storage is CpuStorage)
        {
            ((CudaBackend)Backend.Of(src)).Download(src, dst.Span);
        }
        else
        {
            var host = new float[src.Count];
            ((CudaBackend)Backend.Of(src)).Download(src, host);
            ((CudaBackend)Backend.Of(dst)).Upload(host, dst);
        }
    }
}
