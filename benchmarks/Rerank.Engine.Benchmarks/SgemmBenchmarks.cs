using BenchmarkDotNet.Attributes;
using Rerank.Engine;

namespace Rerank.Engine.Benchmarks;

/// <summary>Square SGEMM through the public MatMul op (no autograd); report GFLOP/s = 2n³ / time.</summary>
[MemoryDiagnoser]
public class SgemmBenchmarks
{
    private Tensor _a = null!;
    private Tensor _b = null!;

    [Params(64, 128, 256, 512, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _a = Tensor.Uniform(new TensorShape(N, N), rng, -1f, 1f);
        _b = Tensor.Uniform(new TensorShape(N, N), rng, -1f, 1f);
    }

    [Benchmark]
    public float MatMul()
    {
        using var scope = TensorScope.Inference();
        return Ops.MatMul(_a, _b)[0];
    }
}
