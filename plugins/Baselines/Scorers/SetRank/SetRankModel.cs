using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Plugins.Common;

namespace Rerank.Plugins.Baselines;

/// <summary>
/// SetRank (Pang et al. 2020): items embedded without any position (so the model is permutation-invariant), a stack of
/// induced multi-head self-attention blocks IMSAB_m(X) = MAB(X, MAB(I_m, X)) with m learnable inducing points (eq. 6),
/// a linear score per item (eq. 8), and the attention rank loss (eq. 9).
/// </summary>
internal sealed class SetRankModel : ListModel
{
    private readonly SetRankOptions options;
    private readonly Linear input;
    private readonly Tensor[] inducing;
    private readonly MultiheadAttentionBlock[] gather;
    private readonly MultiheadAttentionBlock[] scatter;
    private readonly Linear output;

    public SetRankModel(FeatureSchema schema, SetRankOptions options, Rng rng)
        : base(schema, options, rng)
    {
        this.options = options;
        input = Child("input", new Linear(Features.UserWidth + Features.ItemWidth, options.Hidden, rng));
        inducing = new Tensor[options.Layers];
        gather = new MultiheadAttentionBlock[options.Layers];
        scatter = new MultiheadAttentionBlock[options.Layers];
        for (var l = 0; l < options.Layers; l++)
        {
            inducing[l] = Parameter($"inducing.{l}", Tensor.Normal(new TensorShape(1, options.Inducing, options.Hidden), rng, 0.1f));
            gather[l] = Child($"blocks.{l}.induce", new MultiheadAttentionBlock(options.Hidden, options.Heads, options.Dropout, rng));
            scatter[l] = Child($"blocks.{l}.attend", new MultiheadAttentionBlock(options.Hidden, options.Heads, options.Dropout, rng));
        }

        output = Child("output", new Linear(options.Hidden, 1, rng));
    }

    public override Tensor Forward(EncodedBatch x)
    {
        var b = x.Batch;
        var h = input.Forward(x.UserItem());
        for (var l = 0; l < options.Layers; l++)
        {
            var points = Ops.Add(inducing[l], Tensor.Zeros(b, options.Inducing, options.Hidden));
            var summary = gather[l].Forward(points, h, x.ListMask);
            h = scatter[l].Forward(h, summary, null);
        }

        return Ops.Reshape(output.Forward(h), new TensorShape(b, x.Slots));
    }

    public override Tensor Loss(Tensor logits, float[] labels, Tensor mask) => ListLosses.SoftmaxCrossEntropy(logits, labels, mask, normalise: true);
}
