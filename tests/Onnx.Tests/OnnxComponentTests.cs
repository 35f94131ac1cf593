using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Testing;
using static Rerank.Plugins.Onnx.Tests.OnnxFixtures;

namespace Rerank.Plugins.Onnx.Tests;

public sealed class OnnxComponentTests
{
    [Fact]
    public void Scorer_LinearModel_MatchesIndependentDotProducts()
    {
        var requests = Requests(8, 3);
        var batch = RerankBatch.Create(Schema, requests);
        var scorer = Build<IStepScorer>("scorer", FeaturesAndMask, "scorer_linear.onnx");
        var w = Weights("linear_w");
        var bias = Scalar("linear_b");
        var n = batch.MaxCandidates;
        var scores = new float[batch.Count * n];
        using (var session = scorer.Begin(batch, new RerankContext(1)))
        {
            session.Score(new StepRows(0, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Repeat(-1, batch.Count)], []), scores);
        }

        var worst = 0.0;
        for (var b = 0; b < batch.Count; b++)
        {
            for (var i = 0; i < requests[b].Candidates.Count; i++)
            {
                worst = Math.Max(worst, Math.Abs(scores[(b * n) + i] - (Dot(Features(requests[b].Candidates[i]), w) + bias)));
            }
        }

        scorer.Kind.ShouldBe(StepScoreKind.ItemScore);
        worst.ShouldBeLessThan(1e-4);
    }

    [Fact]
    public void Scorer_PositionLogProbs_StepTReadsRowT()
    {
        var requests = Requests(4, 5);
        var batch = RerankBatch.Create(Schema, requests);
        var scorer = Build<IStepScorer>("scorer", FeaturesAndMask + "output_kind: position_log_probs\n", "scorer_positions.onnx");
        var w = WeightRows("positions_W");
        var n = batch.MaxCandidates;
        using var session = scorer.Begin(batch, new RerankContext(1));
        for (var t = 0; t < 3; t++)
        {
            var scores = new float[batch.Count * n];
            var prefixes = Enumerable.Range(0, batch.Count).SelectMany(_ => Enumerable.Range(0, t)).ToArray();
            session.Score(new StepRows(t, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Range(0, batch.Count)], prefixes), scores);
            for (var b = 0; b < batch.Count; b++)
            {
                var logits = requests[b].Candidates.Select(c => (double)Dot(Features(c), w[t])).ToArray();
                var logSum = Math.Log(logits.Sum(x => Math.Exp(x - logits.Max()))) + logits.Max();
                for (var i = 0; i < logits.Length; i++)
                {
                    scores[(b * n) + i].ShouldBe((float)(logits[i] - logSum), 1e-4, $"request {b}, position {t}, candidate {i}");
                }
            }
        }

        scorer.Kind.ShouldBe(StepScoreKind.LogProbability);
        var beyond = new float[batch.Count * n];
        Should.Throw<InvalidOperationException>(() => session.Score(new StepRows(3, [0], [0], [0, 1, 2]), beyond)).Message.ShouldContain("gives 3 positions");
    }

    [Fact]
    public void Evaluator_SumModel_MatchesIndependentValues()
    {
        var requests = Requests(5, 9);
        var batch = RerankBatch.Create(Schema, requests);
        var evaluator = Build<IEvaluator>("evaluator", SlateInputs, "evaluator_sum.onnx");
        var w = Weights("evaluator_w");
        var slates = requests.Select(r => (IReadOnlyList<Slate>)[new Slate([.. Enumerable.Range(0, r.SlateSize)], 0), new Slate([.. Enumerable.Range(0, r.SlateSize).Reverse()], 0), new Slate([1], 0)]).ToArray();
        var values = evaluator.Evaluate(batch, slates, new RerankContext(1));
        for (var b = 0; b < requests.Count; b++)
        {
            for (var k = 0; k < slates[b].Count; k++)
            {
                var expected = slates[b][k].Indices.Select((item, t) => Dot(Features(requests[b].Candidates[item]), w) / (1.0 + t)).Sum();
                values[b][k].ShouldBe(expected, 1e-4, $"request {b}, slate {k}");
            }
        }

        ((ITimedComponent)evaluator).Timings.Select(p => (p.Phase, p.Calls)).ShouldBe([("inputs from the batch", 1L), ("onnx runtime (cpu)", 1L)]);
    }

    [Fact]
    public void Generator_TopK_SlatesOfTheThreeBestCandidates()
    {
        var requests = Requests(6, 11);
        var batch = RerankBatch.Create(Schema, requests);
        var generator = Build<IGenerator>("generator", FeaturesAndMask, "generator_topk.onnx");
        var w = Weights("generator_w");
        var slates = generator.Generate(batch, 4, new RerankContext(1));
        for (var b = 0; b < requests.Count; b++)
        {
            var expected = requests[b].Candidates.Select((c, i) => (Score: Dot(Features(c), w), i)).OrderByDescending(x => x.Score).Take(3).Select(x => x.i);
            slates[b].Count.ShouldBe(1);
            slates[b][0].Indices.ShouldBe(expected, $"request {b}");
        }
    }

    [Fact]
    public void Load_ModelThatDoesNotFit_NamesEveryMismatch()
    {
        var scorer = Build<IStepScorer>("scorer", "inputs:\n  - { name: features, from: priors }\n  - { name: extra, from: candidate_mask }\n", null);

        var error = Should.Throw<InvalidDataException>(() => ((ITrainable)scorer).Load(Model("bad_dtype.onnx")));

        error.Message.ShouldContain("the model's input 'mask' (int64 [batch, n]) is not mapped");
        error.Message.ShouldContain("inputs: 'extra' is not an input of the model (its inputs: 'features', 'mask')");
        error.Message.ShouldContain("input 'features' has last dimension 19 but priors is 2 wide");
        ((ITrainable)scorer).IsTrained.ShouldBeFalse();
    }

    [Fact]
    public void Load_MaskOfAnotherDtype_NamesTheInputAndBothTypes()
    {
        var scorer = Build<IStepScorer>("scorer", "inputs:\n  - { name: features, from: candidate_features }\n  - { name: mask, from: user_dense }\n", null);

        var error = Should.Throw<InvalidDataException>(() => ((ITrainable)scorer).Load(Model("bad_dtype.onnx")));

        error.Message.ShouldContain("input 'mask' is int64 but user_dense gives float32");
    }

    [Fact]
    public void Load_OutputKindThatDoesNotFit_Refused()
    {
        var scorer = Build<IStepScorer>("scorer", FeaturesAndMask + "output_kind: position_log_probs\n", null);

        var error = Should.Throw<InvalidDataException>(() => ((ITrainable)scorer).Load(Model("scorer_linear.onnx")));

        error.Message.ShouldContain("output 'scores' is float32 [batch, n]; this component reads float32 [B, L, N] (output_kind: position_log_probs)");
    }

    [Fact]
    public void Options_SlateSourceOnAScorer_RefusedWithTheAllowedOnes()
    {
        var error = Should.Throw<InvalidOperationException>(() => Build<IStepScorer>("scorer", "inputs:\n  - { name: features, from: slate_features }\n", null));

        error.Message.ShouldContain("slate_features cannot feed this component");
    }

    [Fact]
    public void Train_Refused_SaveCopiesTheModel()
    {
        var scorer = (ITrainable)Build<IStepScorer>("scorer", FeaturesAndMask, null);
        Should.Throw<InvalidOperationException>(() => scorer.Train(new TrainingData(Schema, [], []), new TrainingContext(1))).Message.ShouldContain("trained outside Rerank");
        scorer.Load(Model("scorer_linear.onnx"));
        using var temp = new TempFolder();
        var copy = Path.Combine(temp.Path, "copy.onnx");

        scorer.Save(copy);

        File.ReadAllBytes(copy).ShouldBe(File.ReadAllBytes(Model("scorer_linear.onnx")));
    }

    [Fact]
    public void ExecutionProviderCuda_WithoutCudaProvider_RunsOnTheCpu()
    {
        var scorer = Build<IStepScorer>("scorer", FeaturesAndMask + "execution_provider: cuda\n", "scorer_linear.onnx");
        var batch = RerankBatch.Create(Schema, Requests(2, 1));
        using var session = scorer.Begin(batch, new RerankContext(1));
        var scores = new float[batch.Count * batch.MaxCandidates];
        session.Score(new StepRows(0, [0, 1], [-1, -1], []), scores);
        scores.ShouldAllBe(s => float.IsFinite(s));
        ((ITimedComponent)scorer).Timings.Select(p => p.Phase).ShouldBe(["inputs from the batch", "onnx runtime (cpu)"], "the CPU package has no CUDA provider: the phase says where the model ran");
    }

    [Fact]
    public void Timings_InputsAndRun_PerBatch_ResetClears()
    {
        var scorer = Build<IStepScorer>("scorer", FeaturesAndMask, "scorer_linear.onnx");
        var timed = (ITimedComponent)scorer;
        var batch = RerankBatch.Create(Schema, Requests(3, 2));
        for (var i = 0; i < 3; i++)
        {
            scorer.Begin(batch, new RerankContext(1)).Dispose();
        }

        timed.Timings.Select(p => (p.Phase, p.Calls)).ShouldBe([("inputs from the batch", 3L), ("onnx runtime (cpu)", 3L)]);
        timed.Timings.ShouldAllBe(p => p.Milliseconds > 0);
        timed.ResetTimings();
        timed.Timings.ShouldBeEmpty();
    }
}
