namespace Rerank.Evaluation.OffPolicy;

/// <summary>
/// The eigendecomposition A = V Λ Vᵀ of a real symmetric matrix: Householder reduction to tridiagonal form and the
/// implicit QL algorithm (EISPACK tred2/tql2, as in JAMA), O(n³). Eigenvector i is column i of <see cref="Vectors"/>.
/// </summary>
internal sealed class SymmetricEigen
{
    private SymmetricEigen(double[] values, double[][] vectors)
    {
        Values = values;
        Vectors = vectors;
    }

    /// <summary>The eigenvalues λ_i, in the order of their vectors.</summary>
    public double[] Values { get; }

    /// <summary>V as rows: <c>Vectors[k][i]</c> is component k of eigenvector i; the columns are orthonormal.</summary>
    public double[][] Vectors { get; }

    /// <summary>Decomposes the symmetric <paramref name="matrix"/> (only its symmetry is assumed, not checked).</summary>
    public static SymmetricEigen Of(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n)
        {
            throw new ArgumentException($"a {n}×{matrix.GetLength(1)} matrix is not square", nameof(matrix));
        }

        var v = new double[n][];
        for (var i = 0; i < n; i++)
        {
            v[i] = new double[n];
            for (var j = 0; j < n; j++)
            {
                v[i][j] = matrix[i, j];
            }
        }

        var d = new double[n];
        var e = new double[n];
        if (n > 0)
        {
            Tridiagonalize(v, d, e);
            DiagonalizeTridiagonal(v, d, e);
        }

        return new SymmetricEigen(d, v);
    }

    /// <summary>Householder reduction: on return d is the diagonal, e the sub-diagonal (e[0] = 0), v the transformation.</summary>
    private static void Tridiagonalize(double[][] v, double[] d, double[] e)
    {
        var n = d.Length;
        for (var j = 0; j < n; j++)
        {
            d[j] = v[n - 1][j];
        }

        for (var i = n - 1; i > 0; i--)
        {
            var scale = 0.0;
            var h = 0.0;
            for (var k = 0; k < i; k++)
            {
                scale += Math.Abs(d[k]);
            }

            if (scale == 0.0)
            {
                e[i] = d[i - 1];
                for (var j = 0; j < i; j++)
                {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                    v[j][i] = 0.0;
                }
            }
            else
            {
                for (var k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }

                var f = d[i - 1];
                var g = Math.Sqrt(h);
                if (f > 0)
                {
                    g = -g;
                }

                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (var j = 0; j < i; j++)
                {
                    e[j] = 0.0;
                }

                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + (v[j][j] * f);
                    for (var k = j + 1; k <= i - 1; k++)
                    {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }

                    e[j] = g;
                }

                f = 0.0;
                for (var j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }

                var hh = f / (h + h);
                for (var j = 0; j < i; j++)
                {
                    e[j] -= hh * d[j];
                }

                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (var k = j; k <= i - 1; k++)
                    {
                        v[k][j] -= (f * e[k]) + (g * d[k]);
                    }

                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                }
            }

            d[i] = h;
        }

        // Accumulate the transformations.
        for (var i = 0; i < n - 1; i++)
        {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1.0;
            var h = d[i + 1];
            if (h != 0.0)
            {
                for (var k = 0; k <= i; k++)
                {
                    d[k] = v[k][i + 1] / h;
                }

                for (var j = 0; j <= i; j++)
                {
                    var g = 0.0;
                    for (var k = 0; k <= i; k++)
                    {
                        g += v[k][i + 1] * v[k][j];
                    }

                    for (var k = 0; k <= i; k++)
                    {
                        v[k][j] -= g * d[k];
                    }
                }
            }

            for (var k = 0; k <= i; k++)
            {
                v[k][i + 1] = 0.0;
            }
        }

        for (var j = 0; j < n; j++)
        {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0.0;
        }

        v[n - 1][n - 1] = 1.0;
        e[0] = 0.0;
    }

    /// <summary>Implicit QL with Wilkinson-style shifts on the tridiagonal (d, e), rotating v along.</summary>
    private static void DiagonalizeTridiagonal(double[][] v, double[] d, double[] e)
    {
        var n = d.Length;
        for (var i = 1; i < n; i++)
        {
            e[i - 1] = e[i];
        }

        e[n - 1] = 0.0;
        var f = 0.0;
        var tst1 = 0.0;
        var eps = Math.Pow(2.0, -52.0);
        for (var l = 0; l < n; l++)
        {
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            var m = l;
            while (m < n - 1 && Math.Abs(e[m]) > eps * tst1)
            {
                m++;
            }

            if (m > l)
            {
                var iterations = 0;
                do
                {
                    if (++iterations > 60)
                    {
                        throw new ArithmeticException($"the symmetric eigenvalue iteration did not converge for eigenvalue {l} of {n}");
                    }

                    var g = d[l];
                    var p = (d[l + 1] - g) / (2.0 * e[l]);
                    var r = Hypot(p, 1.0);
                    if (p < 0)
                    {
                        r = -r;
                    }

                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    var dl1 = d[l + 1];
                    var h = g - d[l];
                    for (var i = l + 2; i < n; i++)
                    {
                        d[i] -= h;
                    }

                    f += h;
                    p = d[m];
                    var c = 1.0;
                    var c2 = c;
                    var c3 = c;
                    var el1 = e[l + 1];
                    var s = 0.0;
                    var s2 = 0.0;
                    for (var i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = (c * d[i]) - (s * g);
                        d[i + 1] = h + (s * ((c * g) + (s * d[i])));
                        for (var k = 0; k < n; k++)
                        {
                            h = v[k][i + 1];
                            v[k][i + 1] = (s * v[k][i]) + (c * h);
                            v[k][i] = (c * v[k][i]) - (s * h);
                        }
                    }

                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                }
                while (Math.Abs(e[l]) > eps * tst1);
            }

            d[l] += f;
            e[l] = 0.0;
        }
    }

    private static double Hypot(double a, double b)
    {
        var x = Math.Abs(a);
        var y = Math.Abs(b);
        if (x < y)
        {
            (x, y) = (y, x);
        }

        if (x == 0)
        {
            return 0;
        }

        var t = y / x;
        return x * Math.Sqrt(1 + (t * t));
    }
}
