using Rerank.Abstractions;
using Rerank.Engine.Onnx;
using static Rerank.Plugins.Onnx.Tests.OnnxFixtures;

namespace Rerank.Plugins.Onnx.Tests;

/// <summary>
/// The limits exports record in a model's metadata (<c>rerank.max_candidates</c>, <c>rerank.max_positions</c>), through
/// models written with the engine's ONNX writer that look up a position table the way PRM and NAR4Rec do: one row per
/// position, so a list longer than the table fails inside ONNX Runtime unless the limit is checked first.
/// </summary>
public sealed class ModelLimitsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("onnx-limits-").FullName;

    /// <summary>Position t's value in the models' tables: 10 (t + 1).</summary>
    private static float Position(int t) => 10f * (t + 1);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Scorer_WithinMaxCandidates_Scores()
    {
        var scorer = Build<IStepScorer>("scorer", "inputs:\n  - { name: mask, from: candidate_mask }\n", PerCandidate(4, ("rerank.max_candidates", "4")));
        var batch = RerankBatch.Create(Schema, Trimmed(4, 3, 2));

        var scores = Score(scorer, batch);

        scores.ShouldBe([Position(0), Position(1), Position(2), Position(3), Position(0), Position(1), Position(2), Position(3)]);
    }

    [Fact]
    public void Scorer_PastMaxCandidates_RefusedNamingTheLimitItsKeyAndTheBatchsValue()
    {
        var model = PerCandidate(4, ("rerank.max_candidates", "4"));
        var scorer = Build<IStepScorer>("scorer", "inputs:\n  - { name: mask, from: candidate_mask }\n", model);
        var batch = RerankBatch.Create(Schema, Trimmed(5, 3, 2));

        var error = Should.Throw<ComponentException>(() => scorer.Begin(batch, new RerankContext(1)));

        error.Message.ShouldBe(
            $"onnx/scorer: the batch's longest candidate list is 5, but the ONNX model '{model}' was built for at most 4 (its metadata rerank.max_candidates = 4); shorten the lists, or export the model with a larger limit");
    }

    [Fact]
    public void Scorer_PastThePositionTableWithoutMetadata_IsNotCheckedAndFailsInsideOnnxRuntime()
    {
        // What the check spares: without the key there is no limit to check, and the same batch fails inside ONNX Runtime
        // with "Non-zero status code returned while running Mul node": the lookup comes back clipped to the table's 4 rows
        // (ONNX Runtime's optimizer rewrites a Gather over a Range as a Slice, which clips; PRM's export slices its table
        // itself) and the next node trips over the shorter result.
        var scorer = Build<IStepScorer>("scorer", "inputs:\n  - { name: mask, from: candidate_mask }\n", PerCandidate(4));
        var batch = RerankBatch.Create(Schema, Trimmed(5, 3, 2));

        Should.Throw<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(() => scorer.Begin(batch, new RerankContext(1)));
    }

    [Fact]
    public void PositionScorer_PastMaxPositions_RefusedWithTheLargestSlateSize()
    {
        var model = PerPosition(3, ("rerank.max_positions", "3"));
        var scorer = Build<IStepScorer>("scorer", "inputs:\n  - { name: size, from: slate_size }\n  - { name: mask, from: candidate_mask }\noutput_kind: position_log_probs\n", model);

        var within = Score(scorer, RerankBatch.Create(Schema, Trimmed(5, 3, 2)), step: 2);
        var error = Should.Throw<ComponentException>(() => scorer.Begin(RerankBatch.Create(Schema, Trimmed(5, 2, 4)), new RerankContext(1)));

        within.ShouldBe([.. Enumerable.Repeat(Position(2), 5), .. Enumerable.Repeat(Position(2), 5)]);
        error.Message.ShouldBe(
            $"onnx/scorer: the batch's largest slate size is 4, but the ONNX model '{model}' was built for at most 3 (its metadata rerank.max_positions = 3); shorten the lists, or export the model with a larger limit");
    }

    [Fact]
    public void Evaluator_SlatePastMaxPositions_RefusedWithTheLongestSlate()
    {
        // value[r, t] = table[t] · slate_mask[r, t], summed per slate by the evaluator.
        var graph = new OnnxGraph("slates");
        var mask = graph.Input("mask", OnnxType.Float, "r", "l");
        graph.Output(graph.Mul(mask, graph.Unsqueeze(Table(graph, 2, mask), 0)), "value", OnnxType.Float, "r", "l");
        var model = Save(graph, "evaluator.onnx", ("rerank.max_positions", "2"));
        var evaluator = Build<IEvaluator>("evaluator", "inputs:\n  - { name: mask, from: slate_mask }\n", model);
        var batch = RerankBatch.Create(Schema, Trimmed(5, 3));

        var within = evaluator.Evaluate(batch, [[new Slate([1, 0], 0), new Slate([4], 0)]], new RerankContext(1));
        var error = Should.Throw<ComponentException>(() => evaluator.Evaluate(batch, [[new Slate([1, 0], 0), new Slate([4, 2, 3], 0)]], new RerankContext(1)));

        within[0].ShouldBe([Position(0) + Position(1), Position(0)]);
        error.Message.ShouldBe(
            $"onnx/evaluator: the longest slate to evaluate is 3, but the ONNX model '{model}' was built for at most 2 (its metadata rerank.max_positions = 2); shorten the lists, or export the model with a larger limit");
    }

    [Fact]
    public void Load_LimitThatIsNotAPositiveNumber_RefusedNamingTheKey()
    {
        var model = PerCandidate(4, ("rerank.max_candidates", "0"), ("rerank.max_positions", "ten"));

        var error = Should.Throw<InvalidDataException>(() => Build<IStepScorer>("scorer", "inputs:\n  - { name: mask, from: candidate_mask }\n", model));

        error.Message.ShouldContain("metadata rerank.max_candidates is '0', not a positive whole number");
        error.Message.ShouldContain("metadata rerank.max_positions is 'ten', not a positive whole number");
    }

    /// <summary>An item scorer: scores[b, i] = table[i] · mask[b, i], the table <paramref name="rows"/> long (PRM's position embedding).</summary>
    private string PerCandidate(int rows, params (string Key, string Value)[] metadata)
    {
        var graph = new OnnxGraph("per_candidate");
        var mask = graph.Input("mask", OnnxType.Float, "b", "n");
        graph.Output(graph.Mul(mask, graph.Unsqueeze(Table(graph, rows, mask), 0)), "scores", OnnxType.Float, "b", "n");
        return Save(graph, $"per-candidate-{rows}-{metadata.Length}.onnx", metadata);
    }

    /// <summary>
    /// A per-position scorer with L = the largest slate size (NAR4Rec's export): log_probs[b, t, i] = table[t] · mask[b, i],
    /// the table <paramref name="rows"/> long.
    /// </summary>
    private string PerPosition(int rows, params (string Key, string Value)[] metadata)
    {
        var graph = new OnnxGraph("per_position");
        var size = graph.Input("size", OnnxType.Int64, "b");
        var mask = graph.Input("mask", OnnxType.Float, "b", "n");
        var ids = graph.Range(graph.Scalar(0L), graph.ReduceMax(size, false), graph.Scalar(1L));
        var table = graph.Gather(graph.Initializer("table", OnnxTensor.Floats([.. Enumerable.Range(0, rows).Select(Position)], rows)), ids);
        graph.Output(graph.Mul(graph.Unsqueeze(mask, 1), graph.Unsqueeze(table, 0, 2)), "log_probs", OnnxType.Float, "b", "l", "n");
        return Save(graph, $"per-position-{rows}.onnx", metadata);
    }

    /// <summary>Rows 0 … d − 1 of a <paramref name="rows"/>-long position table, d the last dimension of <paramref name="like"/>.</summary>
    private static OnnxValue Table(OnnxGraph graph, int rows, OnnxValue like)
    {
        var length = graph.Squeeze(graph.Shape(like, 1, 2), 0);
        var ids = graph.Range(graph.Scalar(0L), length, graph.Scalar(1L));
        return graph.Gather(graph.Initializer("table", OnnxTensor.Floats([.. Enumerable.Range(0, rows).Select(Position)], rows)), ids);
    }

    private string Save(OnnxGraph graph, string file, params (string Key, string Value)[] metadata)
    {
        var path = Path.Combine(_folder, file);
        graph.Save(path, metadata.Select(m => KeyValuePair.Create(m.Key, m.Value)));
        return path;
    }

    /// <summary>Synthetic requests with <paramref name="candidates"/> candidates each and the given slate sizes.</summary>
    private static List<RerankRequest> Trimmed(int candidates, params int[] slateSizes) =>
    [
        .. Requests(slateSizes.Length, 11).Select((r, i) => new RerankRequest
        {
            RequestId = r.RequestId,
            UserCategorical = r.UserCategorical,
            UserDense = r.UserDense,
            History = r.History,
            Candidates = [.. r.Candidates.Take(candidates)],
            SlateSize = slateSizes[i],
        }),
    ];

    /// <summary>Every candidate's score at <paramref name="step"/> (each request's prefix 0, 1, …).</summary>
    private static float[] Score(IStepScorer scorer, RerankBatch batch, int step = 0)
    {
        var scores = new float[batch.Count * batch.MaxCandidates];
        using var session = scorer.Begin(batch, new RerankContext(1));
        var rows = Enumerable.Range(0, batch.Count).ToArray();
        var prefixes = rows.SelectMany(_ => Enumerable.Range(0, step)).ToArray();
        session.Score(new StepRows(step, rows, step == 0 ? [.. rows.Select(_ => -1)] : rows, prefixes), scores);
        return scores;
    }
}
