using Rerank.Engine.Backends;

namespace Rerank.Engine;

public static partial class Ops
{
    /// <summary>
    /// One pre-norm encoder layer at inference, fused (see <see cref="IBackend.TryEncoderLayer"/>): the same values as
    /// its ops one by one, or null when gradients are recorded for any operand or the backend does not fuse it (then the
    /// caller runs the ops). <paramref name="x"/> [B, N, d]; <paramref name="keyMask"/> [B, N] or null.
    /// </summary>
    internal static Tensor? EncoderLayerInference(Tensor x, Tensor? keyMask, bool causal, in EncoderLayerWeights weights)
    {
        if (Autograd.IsEnabled && (x.RequiresGrad || AnyRequiresGrad(weights)))
        {
            return null;
        }

        var d = weights.Query.Shape[1];
        if (x.Rank != 3 || x.Shape[2] != d || (keyMask is not null && keyMask.Shape != new TensorShape(x.Shape[0], x.Shape[1])))
        {
            return null; // the ops report the mismatch with their own message
        }

        if (!B(x).FusesKernels() || keyMask?.Device is { } maskDevice && maskDevice != x.Device || !OnDevice(weights, x.Device))
        {
            return null; // not fused here, or operands on different devices (the ops name the mismatch)
        }

        var y = Out(x.Shape, x);
        return B(x).TryEncoderLayer(x, keyMask, causal, weights, y) ? y : null;
    }

    private static bool AnyRequiresGrad(in EncoderLayerWeights w) =>
        RequiresGrad(w.Norm1Gamma) || RequiresGrad(w.Norm1Beta) || w.Query.RequiresGrad || RequiresGrad(w.QueryBias)
        || w.Key.RequiresGrad || RequiresGrad(w.KeyBias) || w.Value.RequiresGrad || RequiresGrad(w.ValueBias)
        || w.Output.RequiresGrad || RequiresGrad(w.OutputBias) || RequiresGrad(w.Norm2Gamma) || RequiresGrad(w.Norm2Beta)
        || w.Up.RequiresGrad || RequiresGrad(w.UpBias) || w.Down.RequiresGrad || RequiresGrad(w.DownBias);

    private static bool RequiresGrad(Tensor? t) => t is { RequiresGrad: true };

    private static bool OnDevice(in EncoderLayerWeights w, Device device) =>
        On(w.Norm1Gamma, device) && On(w.Norm1Beta, device) && On(w.Query, device) && On(w.QueryBias, device)
        && On(w.Key, device) && On(w.KeyBias, device) && On(w.Value, device) && On(w.ValueBias, device)
        && On(w.Output, device) && On(w.OutputBias, device) && On(w.Norm2Gamma, device) && On(w.Norm2Beta, device)
        && On(w.Up, device) && On(w.UpBias, device) && On(w.Down, device) && On(w.DownBias, device);

    private static bool On(Tensor? t, Device device) => t is null || t.Device == device;
}
