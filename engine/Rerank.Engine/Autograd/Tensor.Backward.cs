namespace Rerank.Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// Back-propagates from this one-element tensor (a loss): seeds its gradient with 1, orders the recorded graph
    /// topologically and runs every op's backward in reverse, accumulating into the leaves' <see cref="Grad"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor has more than one element or does not require gradients.</exception>
    public void Backward()
    {
        if (Count != 1)
        {
            throw new InvalidOperationException($"Backward() needs a one-element loss; tensor{Describe()} has shape {Shape}. Pass a gradient with Backward(gradient).");
        }

        var seed = Full(Shape, 1f, Device);
        Backward(seed);
    }

    /// <summary>Back-propagates <paramref name="gradient"/> (same shape as this tensor) through the recorded graph.</summary>
    /// <exception cref="InvalidOperationException">The tensor does not require gradients.</exception>
    public void Backward(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (!RequiresGrad)
        {
            throw new InvalidOperationException($"Tensor{Describe()} does not require gradients: no input needed them, or it was computed under NoGrad/inference.");
        }

        if (gradient.Shape != Shape)
        {
            throw new ArgumentException($"Gradient shape {gradient.Shape} differs from tensor shape {Shape}.", nameof(gradient));
        }

        var order = TopologicalOrder(this);
        AccumulateGrad(this, gradient);
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            if (t.GradFn is { } node && t.Grad is { } g)
            {
                if (BackwardProfiler is { } profiler)
                {
                    var start = System.Diagnostics.Stopwatch.GetTimestamp();
                    node.Backward(g);
                    profiler(node.Op, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                else
                {
                    node.Backward(g);
                }
            }
        }
    }

    /// <summary>When set (benchmarks only), told each recorded op's name and how long its backward took, in milliseconds.</summary>
    internal static Action<string, double>? BackwardProfiler { get; set; }

    /// <summary>
    /// When set (benchmarks only), told each recorded op's name and the time since the previous op was recorded (its
    /// forward, when ops run back to back; the first op of a step also counts what ran before it).
    /// </summary>
    internal static Action<string, double>? ForwardProfiler
    {
        get => _forwardProfiler;
        set
        {
            _forwardProfiler = value;
            _lastRecord = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }

    private static Action<string, double>? _forwardProfiler;
    private static long _lastRecord;

    /// <summary>Post-order DFS over recorded inputs: every tensor comes after all tensors it depends on.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.GradFn?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child))
                {
                    stack.Push((child, 0));
                }
            }
            else
            {
                order.Add(t);
            }
        }

        return order;
    }

    /// <summary>The gradient buffer of <paramref name="t"/>, created zeroed on first use (leaves always on the heap).</summary>
    internal static Tensor GradOf(Tensor t)
    {
        if (t.Grad is null)
        {
            t.Grad = t.IsLeaf ? HeapZeros(t.Shape, t.Device) : Zeros(t.Shape, t.Device);
        }

        return t.Grad;
    }

    /// <summary>
    /// The gradient buffer of <paramref name="t"/> for a kernel about to add a product into it: when no gradient exists yet
    /// it is created without the zero fill and <paramref name="fresh"/> is true — the kernel must then overwrite every
    /// element (a GEMM with β = 0 stores exactly what adding its result to zeros would: its sums are never −0).
    /// </summary>
    internal static Tensor GradForProduct(Tensor t, out bool fresh)
    {
        fresh = t.Grad is null;
        if (t.Grad is null)
        {
            t.Grad = t.IsLeaf ? HeapZeros(t.Shape, t.Device) : Empty(t.Shape, t.Device);
        }

        return t.Grad;
    }

    private static void AccumulateGrad(Tensor t, Tensor g) => Backend.Of(t).Axpy(1f, g, GradOf(t));

    /// <summary>Records an op producing <paramref name="output"/> when recording is on and an input requires gradients.</summary>
    internal static void Record(Tensor output, string op, Action<Tensor> backward, params Tensor[] inputs)
    {
        if (!Autograd.IsEnabled)
        {
            return;
        }

        var any = false;
        foreach (var i in inputs)
        {
            any |= i.RequiresGrad;
        }

        if (!any)
        {
            return;
        }

        output.RequiresGrad = true;
        output.GradFn = new TapeNode(op, inputs, backward);
        if (ForwardProfiler is { } profiler)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            profiler(op, System.Diagnostics.Stopwatch.GetElapsedTime(_lastRecord, now).TotalMilliseconds);
            _lastRecord = now;
        }
    }

    /// <summary>Whether any of the inputs will need a recorded op (cheap check before building closures).</summary>
    internal static bool NeedsGrad(Tensor a) => Autograd.IsEnabled && a.RequiresGrad;

    /// <summary>Whether any of the inputs will need a recorded op.</summary>
    internal static bool NeedsGrad(Tensor a, Tensor b) => Autograd.IsEnabled && (a.RequiresGrad || b.RequiresGrad);
}
