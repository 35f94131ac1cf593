using Rerank.Engine;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>
/// A component's CUDA graph (<c>cuda_graphs</c>) of its current model's device-only part: built for the model on first
/// use, replaced (the old one freed) when the component gets another model (trained or loaded again); none when the
/// setting is off or the model is not on the GPU. Batches are padded to a power of two before a replay
/// (<see cref="ModelGraph.Pad"/>), so a handful of graphs serve every batch size.
/// </summary>
/// <param name="body">The device-only part of a model: its inputs to its outputs.</param>
internal sealed class ModelGraph<TModel>(Func<TModel, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>>> body)
    where TModel : Engine.Nn.Module
{
    private readonly Lock _gate = new();
    private (TModel Model, DeviceGraph Graph)? _current;

    /// <summary>The graph of the current model, once a batch has run.</summary>
    public DeviceGraph? Current => _current?.Graph;

    /// <summary>The graph of <paramref name="model"/>, or null when <paramref name="enabled"/> is not true or the model is not on the GPU.</summary>
    public DeviceGraph? For(TModel model, bool? enabled)
    {
        if (enabled != true || model.Device.Kind != DeviceKind.Cuda)
        {
            return null;
        }

        lock (_gate)
        {
            if (_current is { } c && ReferenceEquals(c.Model, model))
            {
                return c.Graph;
            }

            _current?.Graph.Dispose();
            var graph = new DeviceGraph(model.Device, body(model));
            _current = (model, graph);
            return graph;
        }
    }
}

/// <summary>Padding a batch for a <see cref="ModelGraph{TModel}"/> replay, and dropping the padding after.</summary>
internal static class ModelGraph
{
    /// <summary>
    /// <paramref name="x"/> <c>[rows, …]</c> and its mask <c>[rows, …]</c> padded to a power of two of rows: padding rows
    /// have zero inputs and every position valid (a fully masked row would be undefined), and each row's outputs depend on
    /// its own inputs only, so the real rows come out as without padding (<see cref="First"/> drops the rest).
    /// </summary>
    public static (Tensor X, Tensor Mask, int Rows) Pad(Tensor x, Tensor mask)
    {
        var rows = x.Shape[0];
        var padded = DeviceGraph.BucketSize(rows, Math.Max(rows, 1 << 16));
        if (padded == rows)
        {
            return (x, mask, rows);
        }

        var xPad = x.Shape.ToArray();
        xPad[0] = padded - rows;
        var maskPad = mask.Shape.ToArray();
        maskPad[0] = padded - rows;
        return (Ops.Concat([x, Tensor.Zeros(new TensorShape(xPad), x.Device)], 0), Ops.Concat([mask, Tensor.Full(new TensorShape(maskPad), 1f, mask.Device)], 0), padded);
    }

    /// <summary>The first <paramref name="rows"/> rows of <paramref name="t"/> (the batch without its padding), on the host.</summary>
    public static float[] First(Tensor t, int rows)
    {
        var all = t.ToArray();
        var keep = all.Length / t.Shape[0] * rows;
        return keep == all.Length ? all : all[..keep];
    }
}
