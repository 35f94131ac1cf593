namespace Rerank.Engine.Optim;

/// <summary>Updates a fixed list of parameters from their gradients. State lives on the heap beside each parameter.</summary>
public abstract class Optimizer
{
    /// <summary>Takes the parameters to update (e.g. <c>model.Parameters()</c>).</summary>
    /// <exception cref="ArgumentException">A tensor does not require gradients.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        foreach (var p in Parameters)
        {
            if (!p.RequiresGrad)
            {
                throw new ArgumentException($"Parameter{(p.Name is null ? string.Empty : $" '{p.Name}'")} {p.Shape} does not require gradients.", nameof(parameters));
            }
        }

        LearningRate = learningRate;
    }

    /// <summary>The parameters being optimised.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate for the next step (schedules set it).</summary>
    public float LearningRate { get; set; }

    /// <summary>Steps taken so far.</summary>
    public int StepCount { get; private set; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (var i = 0; i < Parameters.Count; i++)
        {
            if (Parameters[i].Grad is { } g)
            {
                Update(i, Parameters[i], g);
            }
        }
    }

    /// <summary>Zeroes every gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            if (p.Grad is { } g)
            {
                Backend.Of(g).Fill(g, 0f);
            }
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> from its gradient.</summary>
    protected abstract void Update(int index, Tensor parameter, Tensor gradient);

    /// <summary>A zeroed heap tensor shaped like <paramref name="like"/> (optimizer state).</summary>
    protected static Tensor StateLike(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Tensor.HeapZeros(like.Shape, like.Device);
    }
}
