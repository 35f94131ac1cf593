using Rerank.Engine.Backends;

namespace Rerank.Engine.Optim;

/// <summary>Adam (Kingma &amp; Ba 2015, Algorithm 1) with bias correction; weight decay as an L2 term in the gradient.</summary>
public class Adam : Optimizer
{
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer.</summary>
    public Adam(IEnumerable<Tensor> parameters, AdamOptions? options = null)
        : this(parameters, options ?? new AdamOptions(), decoupled: false)
    {
    }

    private protected Adam(IEnumerable<Tensor> parameters, AdamOptions options, bool decoupled)
        : base(parameters, (options ?? throw new ArgumentNullException(nameof(options))).LearningRate)
    {
        options.Validate();
        Options = options;
        _decoupled = decoupled;
        _m = [.. Parameters.Select(StateLike)];
        _v = [.. Parameters.Select(StateLike)];
    }

    /// <summary>The hyper-parameters (the learning rate may since have been changed by a schedule).</summary>
    public AdamOptions Options { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        var args = new AdamStepArgs(LearningRate, Options.Beta1, Options.Beta2, Options.Epsilon, Options.WeightDecay, _decoupled, StepCount);
        Backend.Of(parameter).AdamStep(parameter, gradient, _m[index], _v[index], args);
    }
}

/// <summary>AdamW (Loshchilov &amp; Hutter 2019): Adam with weight decay applied to the weights, decoupled from the gradient.</summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer (default weight decay 0.01).</summary>
    public AdamW(IEnumerable<Tensor> parameters, AdamOptions? options = null)
        : base(parameters, options ?? new AdamOptions(WeightDecay: 0.01f), decoupled: true)
    {
    }
}
