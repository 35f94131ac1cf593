namespace Rerank.Engine;

/// <summary>
/// The per-thread pool behind <see cref="TensorScope"/>: a stack of tensor objects with their storage. Inside a
/// scope, the n-th tensor created reuses the n-th slot when its storage is large enough, so a loop that creates
/// the same shapes each iteration allocates nothing after the first.
/// </summary>
internal sealed class TensorPool
{
    [ThreadStatic]
    private static TensorPool? _current;

    private readonly List<Tensor> _slots = [];
    private readonly List<Tensor> _views = [];
    private int _cursor;
    private int _viewCursor;

    public static TensorPool Current => _current ??= new TensorPool();

    /// <summary>Open scopes on this thread; zero means tensors come from the heap.</summary>
    public int Depth { get; private set; }

    /// <summary>
    /// True while this thread captures a CUDA graph: device tensors then come from the heap (their blocks from the
    /// graph's pool), never from a slot — a slot's storage is handed out again after the scope, and the graph would
    /// replay into it.
    /// </summary>
    public bool Capturing { get; set; }

    /// <summary>A tensor object sharing <paramref name="source"/>'s storage under another shape.</summary>
    public Tensor RentView(Tensor source, TensorShape shape)
    {
        if (_viewCursor < _views.Count)
        {
            var v = _views[_viewCursor++];
            v.Rebind(source, shape);
            return v;
        }

        var fresh = new Tensor(source.Storage, source.Offset, shape);
        _views.Add(fresh);
        _viewCursor++;
        return fresh;
    }

    public Tensor Rent(TensorShape shape, Device device)
    {
        var count = shape.Count;
        if (_cursor < _slots.Count)
        {
            var t = _slots[_cursor];
            if (t.Storage.Length >= count && t.Device == device)
            {
                _cursor++;
                t.Reset(shape);
                return t;
            }
        }

        var fresh = new Tensor(Backend.For(device).Allocate(count), 0, shape);
        if (_cursor < _slots.Count)
        {
            _slots[_cursor] = fresh;
        }
        else
        {
            _slots.Add(fresh);
        }

        _cursor++;
        return fresh;
    }

    public (int Data, int Views) Enter()
    {
        Depth++;
        return (_cursor, _viewCursor);
    }

    public void Exit((int Data, int Views) mark)
    {
        Depth--;
        _cursor = mark.Data;
        _viewCursor = mark.Views;
    }
}
