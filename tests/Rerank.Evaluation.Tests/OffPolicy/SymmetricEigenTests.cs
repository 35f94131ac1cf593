using Rerank.Evaluation.OffPolicy;
using Rerank.Runtime.Randomness;

namespace Rerank.Evaluation.Tests.OffPolicy;

/// <summary>The symmetric eigendecomposition: A V = V Λ with orthonormal V, and a known spectrum.</summary>
public sealed class SymmetricEigenTests
{
    [Fact]
    public void Of_KnownMatrix_KnownEigenvalues()
    {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
        var eigen = SymmetricEigen.Of(new double[,] { { 2, 1 }, { 1, 2 } });

        eigen.Values.Order().ShouldBe([1.0, 3.0], 1e-14);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    public void Of_RandomSymmetric_ReconstructsWithOrthonormalVectors(int n)
    {
        var rng = new SeededRandom((ulong)n);
        var a = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                a[i, j] = a[j, i] = rng.NextGaussian();
            }
        }

        var eigen = SymmetricEigen.Of(a);

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var product = 0.0;
                var orthonormal = 0.0;
                for (var k = 0; k < n; k++)
                {
                    product += eigen.Vectors[i][k] * eigen.Values[k] * eigen.Vectors[j][k];
                    orthonormal += eigen.Vectors[k][i] * eigen.Vectors[k][j];
                }

                product.ShouldBe(a[i, j], 1e-11, $"(V Λ Vᵀ)[{i}, {j}]");
                orthonormal.ShouldBe(i == j ? 1.0 : 0.0, 1e-12, $"(Vᵀ V)[{i}, {j}]");
            }
        }
    }

    [Fact]
    public void Of_RankDeficient_ZeroEigenvaluesStayNearZero()
    {
        // u uᵀ + v vᵀ in 4 dimensions: eigenvalues 2, 2, 0, 0.
        double[] u = [1, 0, 0, 1];
        double[] v = [0, 1, 1, 0];
        var a = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                a[i, j] = (u[i] * u[j]) + (v[i] * v[j]);
            }
        }

        SymmetricEigen.Of(a).Values.Order().ShouldBe([0.0, 0.0, 2.0, 2.0], 1e-14);
    }
}
