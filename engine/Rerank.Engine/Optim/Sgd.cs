namespace Rerank.Engine.Optim;

/// <summary>SGD hyper-parameters.</summary>
/// <param name="LearningRate">The step size.</param>
/// <param name="Momentum">Heavy-ball momentum μ (0 = plain SGD).</param>
/// <param name="WeightDecay">L2 penalty added to the gradient.</param>
/// <param name="Nesterov">Nesterov momentum.</param>
public sealed record SgdOptions(float LearningRate = 0.01f, float Momentum = 0f, float WeightDecay = 0f, bool Nesterov = false);

/// <summary>SGD with optional momentum (PyTorch convention: v ← μv + g; θ ← θ − lr·v).</summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor?[] _velocity;

    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Tensor> parameters, SgdOptions? options = null)
        : base(parameters, (options ??= new SgdOptions()).LearningRate)
    {
        if (options.Momentum < 0f || options.WeightDecay < 0f || options.LearningRate < 0f)
        {
            throw new ArgumentException($"Invalid SGD options {options}: values must be ≥ 0.", nameof(options));
        }

        Options = options;
        _velocity = [.. Parameters.Select(p => options.Momentum > 0f ? StateLike(p) : null)];
    }

    /// <summary>The hyper-parameters.</summary>
    public SgdOptions Options { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor parameter, Tensor gradient) =>
        Backend.Of(parameter).SgdStep(parameter, gradient, _velocity[index], LearningRate, Options.Momentum, Options.WeightDecay, Options.Nesterov);
}
