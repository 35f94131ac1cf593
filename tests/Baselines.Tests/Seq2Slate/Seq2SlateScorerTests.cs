using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Engine;

namespace Rerank.Plugins.Baselines.Tests.Seq2Slate;

public sealed class Seq2SlateConformance : ScorerConformance
{
    protected override IRerankPlugin Plugin => new BaselinesPlugin();

    protected override string Component => "seq2slate";

    protected override string ParamsYaml => "dimension: 8\nheads: 2\nfeed_forward: 16\nfield_width: 4\nepochs: 1\nbatch_size: 16\ntau: 0";

    [Fact]
    public void Load_CommittedCheckpoints_SameOutputsAsWhenSaved() => VerifyCommittedCheckpoints("seq2slate");
}

public sealed class Seq2SlateScorerTests
{
    private static readonly SyntheticData Data = new();

    [Fact]
    public void Score_IncrementalWithCache_EqualsTeacherForcedPass()
    {
        var scorer = Trained(epochs: 1);
        var model = scorer.Model!;
        var batch = RerankBatch.Create(Data.Schema, Data.Requests(3, 9));
        var length = 3;
        var n = batch.MaxCandidates;
        int[] sequence = [.. Enumerable.Range(0, batch.Count).SelectMany(b => new[] { 2, 0, 1 })];
        float[] full;
        using (TensorScope.Inference())
        {
            var mask = Tensor.FromArray(batch.CandidateMask, new TensorShape(batch.Count, n));
            full = model.TeacherForced(model.Encode(batch, mask), mask, sequence, length).ToArray();
        }

        using var session = scorer.Begin(batch, new RerankContext(1));
        for (var t = 0; t < length; t++)
        {
            var prefixes = Enumerable.Range(0, batch.Count).SelectMany(b => sequence.Skip(b * length).Take(t)).ToArray();
            var rows = new StepRows(t, [.. Enumerable.Range(0, batch.Count)], [.. Enumerable.Range(0, batch.Count).Select(b => t == 0 ? -1 : b)], prefixes);
            var scores = new float[batch.Count * n];
            session.Score(rows, scores);
            for (var b = 0; b < batch.Count; b++)
            {
                // Log-softmax over the free candidates of the teacher-forced logits at step t.
                var logits = full.AsSpan(((b * length) + t) * n, batch.CandidateCounts[b]).ToArray();
                var free = Enumerable.Range(0, logits.Length).Where(c => !sequence.Skip(b * length).Take(t).Contains(c)).ToArray();
                var max = free.Max(c => logits[c]);
                var log = max + MathF.Log(free.Sum(c => MathF.Exp(logits[c] - max)));
                foreach (var c in free)
                {
                    scores[(b * n) + c].ShouldBe(logits[c] - log, 1e-4f, $"request {b}, step {t}, candidate {c}");
                }
            }
        }
    }

    [Fact]
    public void Score_RowsReorderedByParent_CacheFollowsTheParent()
    {
        var scorer = Trained(epochs: 1);
        var batch = RerankBatch.Create(Data.Schema, Data.Requests(1, 4));
        var n = batch.MaxCandidates;
        using var session = scorer.Begin(batch, new RerankContext(1));
        session.Score(new StepRows(0, [0, 0], [-1, -1], []), new float[2 * n]);
        session.Score(new StepRows(1, [0, 0], [0, 1], [3, 5]), new float[2 * n]);
        var swapped = new float[2 * n];
        session.Score(new StepRows(2, [0, 0], [1, 0], [5, 1, 3, 1]), swapped);

        using var again = scorer.Begin(batch, new RerankContext(1));
        again.Score(new StepRows(0, [0], [-1], []), new float[n]);
        again.Score(new StepRows(1, [0], [0], [5]), new float[n]);
        var direct = new float[n];
        again.Score(new StepRows(2, [0], [0], [5, 1]), direct);
        Finite(swapped.AsSpan(0, n).ToArray()).ShouldBe(Finite(direct), 1e-5f);
    }

    [Fact]
    public void Train_FewEpochs_LossFalls()
    {
        var scorer = new Seq2SlateScorer(Options(4), new ComponentContext("baselines", "1.0.0", "seq2slate", Data.Schema, 3));
        var result = scorer.Train(Data.Training(64, 5), new TrainingContext(2));
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss);
        scorer.Timings.Select(t => t.Phase).ShouldContain("train.backward");
    }

    [Fact]
    public void Begin_Untrained_FailsNamingTheComponent()
    {
        var scorer = new Seq2SlateScorer(Options(1), new ComponentContext("baselines", "1.0.0", "s2s", Data.Schema, 3));
        Should.Throw<ComponentException>(() => scorer.Begin(RerankBatch.Create(Data.Schema, Data.Requests(1, 1)), new RerankContext(1))).Message.ShouldContain("s2s");
    }

    private static float[] Finite(float[] scores) => [.. scores.Select(s => float.IsNegativeInfinity(s) ? -1e9f : s)];

    private static Seq2SlateOptions Options(int epochs) => new()
    {
        Dimension = 8,
        Heads = 2,
        FeedForward = 16,
        FieldWidth = 4,
        Training = { Epochs = epochs, BatchSize = 16, LearningRate = 3e-3 },
        Tau = 0,
    };

    private static Seq2SlateScorer Trained(int epochs)
    {
        var scorer = new Seq2SlateScorer(Options(epochs), new ComponentContext("baselines", "1.0.0", "seq2slate", Data.Schema, 3));
        scorer.Train(Data.Training(32, 5), new TrainingContext(2));
        return scorer;
    }
}
