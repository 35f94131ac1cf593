namespace Rerank.Engine.Nn;

/// <summary>
/// A building block with named parameters and child modules. Names form a dotted path
/// (<c>layers.0.attention.query.weight</c>), which is also the state-dict and checkpoint key.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _parameters = [];
    private readonly List<(string Name, Module Value)> _children = [];

    /// <summary>True in training mode (dropout active), false in evaluation mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Switches this module and its children to training (true) or evaluation (false) mode.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        foreach (var (_, child) in _children)
        {
            child.Train(training);
        }
    }

    /// <summary>Switches to evaluation mode (dropout off).</summary>
    public void Eval() => Train(false);

    /// <summary>Every parameter with its dotted name, depth-first in registration order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedParameters()
    {
        var list = new List<KeyValuePair<string, Tensor>>();
        Collect(string.Empty, list);
        return list;
    }

    /// <summary>Every parameter, in <see cref="NamedParameters"/> order.</summary>
    public IReadOnlyList<Tensor> Parameters() => [.. NamedParameters().Select(p => p.Value)];

    /// <summary>The number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Count);

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            if (p.Grad is { } g)
            {
                Backend.Of(g).Fill(g, 0f);
            }
        }
    }

    /// <summary>
    /// Moves every parameter (of this module and its children) to <paramref name="device"/> in place and returns the
    /// module; gradients are dropped (optimizers built before the move hold state on the old device: build them after).
    /// </summary>
    /// <exception cref="NotSupportedException">The device is not usable (the message says why, e.g. no GPU).</exception>
    public Module To(Device device)
    {
        foreach (var (_, p) in _parameters)
        {
            p.MoveTo(device);
        }

        foreach (var (_, child) in _children)
        {
            child.To(device);
        }

        Device = device;
        if (device.Kind == DeviceKind.Cuda)
        {
            Cuda.Synchronize(); // the uploads are done before another thread (with its own stream) reads the weights
        }

        return this;
    }

    /// <summary>The device of the parameters (the CPU until <see cref="To"/> moves them).</summary>
    public Device Device { get; private set; } = Engine.Device.Cpu;

    /// <summary>Registers a parameter (it requires gradients and carries its local name).</summary>
    protected Tensor Parameter(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Tensor.Adopt(value);
        value.RequiresGrad = true;
        value.Name = name;
        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module.</summary>
    protected T Child<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        _children.Add((name, module));
        return module;
    }

    private void Collect(string prefix, List<KeyValuePair<string, Tensor>> list)
    {
        foreach (var (name, value) in _parameters)
        {
            list.Add(new(prefix + name, value));
        }

        foreach (var (name, child) in _children)
        {
            child.Collect(prefix + name + ".", list);
        }
    }
}
