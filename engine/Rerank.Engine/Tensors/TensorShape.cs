using System.Globalization;
using System.Text;

namespace Rerank.Engine;

/// <summary>The shape of a row-major tensor: up to <see cref="MaxRank"/> dimensions, stored inline so that creating one never allocates.</summary>
public readonly struct TensorShape : IEquatable<TensorShape>
{
    /// <summary>The largest rank a tensor may have.</summary>
    public const int MaxRank = 6;

    private readonly int _d0, _d1, _d2, _d3, _d4, _d5;
    private readonly int _count;

    /// <summary>Creates a shape from its dimensions (outermost first).</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxRank"/> dimensions, or a negative one.</exception>
    public TensorShape(params ReadOnlySpan<int> dims)
    {
        if (dims.Length > MaxRank)
        {
            throw new ArgumentException($"Tensor rank {dims.Length} exceeds the maximum {MaxRank}.", nameof(dims));
        }

        Rank = dims.Length;
        long count = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0)
            {
                throw new ArgumentException($"Tensor dimension {i} is negative ({dims[i]}).", nameof(dims));
            }

            count *= dims[i];
        }

        if (count > int.MaxValue)
        {
            throw new ArgumentException($"Tensor of shape [{string.Join(", ", dims.ToArray())}] has more than {int.MaxValue} elements.", nameof(dims));
        }

        _count = (int)count;
        _d0 = dims.Length > 0 ? dims[0] : 0;
        _d1 = dims.Length > 1 ? dims[1] : 0;
        _d2 = dims.Length > 2 ? dims[2] : 0;
        _d3 = dims.Length > 3 ? dims[3] : 0;
        _d4 = dims.Length > 4 ? dims[4] : 0;
        _d5 = dims.Length > 5 ? dims[5] : 0;
    }

    /// <summary>The number of dimensions.</summary>
    public int Rank { get; }

    /// <summary>The number of elements (the product of the dimensions; 1 for a scalar).</summary>
    public int Count => Rank == 0 ? 1 : _count;

    /// <summary>The size of dimension <paramref name="dim"/>; negative values count from the end.</summary>
    public int this[int dim]
    {
        get
        {
            var d = dim < 0 ? dim + Rank : dim;
            if ((uint)d >= (uint)Rank)
            {
                throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension {dim} is out of range for a rank-{Rank} tensor.");
            }

            return d switch { 0 => _d0, 1 => _d1, 2 => _d2, 3 => _d3, 4 => _d4, _ => _d5 };
        }
    }

    /// <summary>The last dimension (1 for a scalar).</summary>
    public int Last => Rank == 0 ? 1 : this[Rank - 1];

    /// <summary>The row-major stride of dimension <paramref name="dim"/>, in elements.</summary>
    public int Stride(int dim)
    {
        var d = dim < 0 ? dim + Rank : dim;
        var s = 1;
        for (var i = Rank - 1; i > d; i--)
        {
            s *= this[i];
        }

        return s;
    }

    /// <summary>Copies the dimensions into a new array.</summary>
    public int[] ToArray()
    {
        var a = new int[Rank];
        for (var i = 0; i < Rank; i++)
        {
            a[i] = this[i];
        }

        return a;
    }

    /// <summary>The shape with dimension <paramref name="dim"/> replaced by <paramref name="size"/>.</summary>
    public TensorShape With(int dim, int size)
    {
        Span<int> d = stackalloc int[Rank];
        CopyTo(d);
        d[dim < 0 ? dim + Rank : dim] = size;
        return new TensorShape(d);
    }

    /// <summary>Copies the dimensions into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<int> destination)
    {
        for (var i = 0; i < Rank; i++)
        {
            destination[i] = this[i];
        }
    }

    /// <inheritdoc/>
    public bool Equals(TensorShape other) =>
        Rank == other.Rank && _d0 == other._d0 && _d1 == other._d1 && _d2 == other._d2 && _d3 == other._d3 && _d4 == other._d4 && _d5 == other._d5;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorShape s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Rank, _d0, _d1, _d2, _d3, _d4, _d5);

    /// <summary>Formats the shape as <c>[2, 3]</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < Rank; i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(this[i].ToString(CultureInfo.InvariantCulture));
        }

        return sb.Append(']').ToString();
    }

    /// <summary>Shape equality.</summary>
    public static bool operator ==(TensorShape left, TensorShape right) => left.Equals(right);

    /// <summary>Shape inequality.</summary>
    public static bool operator !=(TensorShape left, TensorShape right) => !left.Equals(right);
}
