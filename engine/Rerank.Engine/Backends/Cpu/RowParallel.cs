namespace Rerank.Engine.Backends.Cpu;

/// <summary>The operands of one row-wise kernel (softmax, layer norm, element-wise chunks), passed by reference to a function pointer.</summary>
internal unsafe struct RowArgs
{
    public float* X;
    public float* Y;
    public float* Z;
    public float* Mask;
    public float* Gamma;
    public float* Beta;
    public float* Mean;
    public float* Rstd;
    public float* K;
    public float* V;
    public int Nk;
    public int Heads;
    public int HeadDim;
    public float Scale;
    public int Cols;
    public int Count;
    public int Nq;
    public bool Causal;
    public bool Log;
    public float Epsilon;

    /// <summary>Outputs a kernel stores as if adding onto zeros instead of adding into (bit i: its i-th gradient output).</summary>
    public int Overwrite;
    public TensorShape Shape;
    public TensorShape MaskShape;
}

/// <summary>Runs a row kernel over [0, rows), split across threads by rows (outputs only, so thread count never changes results).</summary>
internal sealed unsafe class RowParallel : IParallelWork
{
    [ThreadStatic]
    private static RowParallel? _instance;

    private RowArgs _args;
    private delegate*<ref RowArgs, int, int, void> _fn;
    private int _rows;

    /// <summary>Runs <paramref name="fn"/> on all rows; parallel when the work (rows × cost per row) is large enough.</summary>
    public static void Run(ref RowArgs args, delegate*<ref RowArgs, int, int, void> fn, int rows, long costPerRow)
    {
        var parts = rows * costPerRow < 200_000 || ParallelRunner.IsInside ? 1 : ParallelRunner.PartsFor(rows);
        if (parts <= 1)
        {
            fn(ref args, 0, rows);
            return;
        }

        var w = _instance ??= new RowParallel();
        w._args = args;
        w._fn = fn;
        w._rows = rows;
        ParallelRunner.Run(w, parts);
        w._args = default;
    }

    public void Execute(int part, int parts, int worker)
    {
        var r0 = (int)((long)_rows * part / parts);
        var r1 = (int)((long)_rows * (part + 1) / parts);
        var args = _args;
        _fn(ref args, r0, r1);
    }
}
