namespace Rerank.Engine;

public sealed partial class Tensor
{
    /// <summary>Broadcasting addition.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);

    /// <summary>Broadcasting subtraction.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);

    /// <summary>Broadcasting element-wise product.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);

    /// <summary>Broadcasting element-wise quotient.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, float b) => Ops.Affine(a, 1f, b);

    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, float b) => Ops.Affine(a, 1f, -b);

    /// <summary>Scales by a scalar.</summary>
    public static Tensor operator *(Tensor a, float b) => Ops.Affine(a, b, 0f);

    /// <summary>Scales by a scalar.</summary>
    public static Tensor operator *(float a, Tensor b) => Ops.Affine(b, a, 0f);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => Ops.Affine(a, -1f, 0f);

    /// <summary>Named alternative to <c>+</c>.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Ops.Add(a, b);

    /// <summary>Named alternative to <c>-</c>.</summary>
    public static Tensor Subtract(Tensor a, Tensor b) => Ops.Sub(a, b);

    /// <summary>Named alternative to <c>*</c>.</summary>
    public static Tensor Multiply(Tensor a, Tensor b) => Ops.Mul(a, b);

    /// <summary>Named alternative to <c>/</c>.</summary>
    public static Tensor Divide(Tensor a, Tensor b) => Ops.Div(a, b);

    /// <summary>Named alternative to unary <c>-</c>.</summary>
    public static Tensor Negate(Tensor a) => Ops.Affine(a, -1f, 0f);

    /// <summary>A view with another shape (see <see cref="Ops.Reshape"/>).</summary>
    public Tensor Reshape(params ReadOnlySpan<int> dims) => Ops.Reshape(this, new TensorShape(dims));

    /// <summary>Matrix product (see <see cref="Ops.MatMul"/>).</summary>
    public Tensor MatMul(Tensor other, bool transposeOther = false) => Ops.MatMul(this, other, transB: transposeOther);
}
