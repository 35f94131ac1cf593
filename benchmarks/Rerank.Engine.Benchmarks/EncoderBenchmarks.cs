using BenchmarkDotNet.Attributes;
using Rerank.Engine;
using Rerank.Engine.Nn;
using Rerank.Engine.Optim;

namespace Rerank.Engine.Benchmarks;

/// <summary>Attention and a 2-layer d=64 encoder over B=256 requests of N=60 candidates: inference and one training step.</summary>
[MemoryDiagnoser]
public class EncoderBenchmarks
{
    private const int B = 256;
    private const int N = 60;
    private const int D = 64;
    private const int H = 4;
    private TransformerEncoder _model = null!;
    private Linear _head = null!;
    private Adam _adam = null!;
    private Tensor _x = null!;
    private Tensor _mask = null!;
    private Tensor _target = null!;
    private Tensor _q = null!;
    private Tensor _k = null!;
    private Tensor _v = null!;
    private float[] _scores = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(1);
        _model = new TransformerEncoder(2, D, H, 4 * D, rng);
        _head = new Linear(D, 1, rng);
        _adam = new Adam([.. _model.Parameters(), .. _head.Parameters()]);
        _x = Tensor.Normal(new TensorShape(B, N, D), rng);
        _mask = Tensor.Full(new TensorShape(B, N), 1f);
        _target = Tensor.Uniform(new TensorShape(B, N, 1), rng, 0f, 1f);
        var heads = new TensorShape(B, H, N, D / H);
        _q = Tensor.Normal(heads, rng);
        _k = Tensor.Normal(heads, rng);
        _v = Tensor.Normal(heads, rng);
        _scores = new float[B * N];
    }

    [Benchmark]
    public void AttentionForward()
    {
        using var scope = TensorScope.Inference();
        Ops.Attention(_q, _k, _v);
    }

    [Benchmark]
    public void EncoderInference()
    {
        _model.Eval();
        using var scope = TensorScope.Inference();
        _head.Forward(_model.Forward(_x, _mask)).CopyTo(_scores);
    }

    [Benchmark]
    public void EncoderTrainStep()
    {
        _model.Train();
        _adam.ZeroGrad();
        using (TensorScope.Begin())
        {
            Ops.BinaryCrossEntropyWithLogits(_head.Forward(_model.Forward(_x, _mask)), _target).Backward();
        }

        _adam.Step();
    }
}
