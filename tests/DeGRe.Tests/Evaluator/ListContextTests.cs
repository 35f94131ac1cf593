namespace Rerank.Plugins.DeGRe.Tests.Evaluator;

public sealed class ListContextTests
{
    [Fact]
    public void Compute_ThreeHandVectors_MaxPositiveSumMeanAndPrevious()
    {
        // Unit vectors in 2-D: a = (1, 0), b = (0, 1), c = (0.6, −0.8); cos(c, a) = 0.6, cos(c, b) = −0.8, cos(b, a) = 0.
        float[] content = [1f, 0f, 0f, 1f, 0.6f, -0.8f];
        var values = ListContext.Compute(content, 2, [0, 1, 2], 1, 3);

        values[..4].ShouldBe([0f, 0f, 0f, 0f]); // t = 1: no prefix
        values[4..8].ShouldBe([0f, 0f, 0f, 0f], 1e-6f); // t = 2: b after a
        values[8].ShouldBe(0.6f, 1e-6f); // max
        values[9].ShouldBe(0.6f, 1e-6f); // Σ max(0, c)
        values[10].ShouldBe(-0.1f, 1e-6f); // mean of 0.6 and −0.8
        values[11].ShouldBe(-0.8f, 1e-6f); // the previous item
    }

    [Fact]
    public void Compute_SecondSequence_ReadsItsOwnSlots()
    {
        float[] content = [1f, 0f, 0f, 1f, 0.6f, -0.8f];
        var values = ListContext.Compute(content, 2, [0, 1, /**/ 2, 0], 2, 2);

        values[(3 * ListContext.Width) + 3].ShouldBe(0.6f, 1e-6f); // sequence 1, t = 2: a after c
        values[(1 * ListContext.Width) + 3].ShouldBe(0f, 1e-6f); // sequence 0, t = 2: b after a
    }

    [Fact]
    public void UnitContent_ScaledRows_NormalisedAndZeroRowsKept()
    {
        var batch = Rerank.Abstractions.RerankBatch.Create(Fixtures.Data.Schema, Fixtures.Data.Requests(2, 5));
        var unit = ListContext.UnitContent(batch);
        var w = batch.EmbeddingWidth;
        for (var row = 0; row < unit.Length / w; row++)
        {
            var norm = Math.Sqrt(unit.AsSpan(row * w, w).ToArray().Sum(v => (double)v * v));
            var original = batch.Embeddings.AsSpan(row * w, w).ToArray().Any(v => v != 0f);
            norm.ShouldBe(original ? 1.0 : 0.0, 1e-5);
        }
    }

    [Fact]
    public void Affinity_Requests_CosineWithTheMeanOfTheRecentHistory()
    {
        var requests = Fixtures.Data.Requests(3, 5);
        var batch = Rerank.Abstractions.RerankBatch.Create(Fixtures.Data.Schema, requests);
        var affinity = ListContext.Affinity(batch, 2, ListContext.UnitContent(batch));
        for (var b = 0; b < requests.Count; b++)
        {
            var recent = requests[b].History.TakeLast(2).Select(h => h.Embedding).ToArray();
            var mean = Enumerable.Range(0, batch.EmbeddingWidth).Select(k => recent.Sum(e => (double)e[k])).ToArray();
            for (var i = 0; i < requests[b].Candidates.Count; i++)
            {
                var e = requests[b].Candidates[i].Embedding;
                var cos = mean.Zip(e, (m, v) => m * v).Sum() / Math.Sqrt(mean.Sum(m => m * m)) / Math.Sqrt(e.Sum(v => (double)v * v));
                ((double)affinity[(b * batch.MaxCandidates) + i]).ShouldBe(recent.Length == 0 ? 0 : cos, 1e-4);
            }
        }
    }

    [Fact]
    public void Compute_ListContextAndAffinity_AffinityLastInEachPosition()
    {
        float[] content = [1f, 0f, 0f, 1f, 0.6f, -0.8f];
        var both = new CandidateEncoding(Rerank.Engine.Tensor.Zeros(new Rerank.Engine.TensorShape(1, 3, 1)), content, 2, [0.1f, 0.2f, 0.3f]);
        var values = ListContext.Compute(both, [2, 0], 1, 2);
        values.Length.ShouldBe(2 * (ListContext.Width + 1));
        values[ListContext.Width].ShouldBe(0.3f);
        values[(2 * ListContext.Width) + 1].ShouldBe(0.1f);
        values[ListContext.Width + 1 + 3].ShouldBe(0.6f, 1e-6f); // a after c

        var affinityOnly = ListContext.Compute(both with { Content = [] }, [2, 0], 1, 2);
        affinityOnly.ShouldBe([0.3f, 0.1f]);
    }

    [Fact]
    public void ForCandidates_ChosenItem_SameFieldsAsTheEvaluatorsPosition()
    {
        // The student (pointer) must read for a chosen item exactly what the teacher read at that position.
        var batch = Rerank.Abstractions.RerankBatch.Create(Fixtures.Data.Schema, Fixtures.Data.Requests(2, 6));
        var n = batch.MaxCandidates;
        var content = ListContext.UnitContent(batch);
        var affinity = ListContext.Affinity(batch, 3, content);
        int[] requests = [1, 0];
        int[] chosen = [4, 0, 2, /**/ 1, 3, 5];
        var student = ListContext.ForCandidates(content, batch.EmbeddingWidth, affinity, n, requests, chosen, 3);
        var slots = chosen.Select((c, k) => (requests[k / 3] * n) + c).ToArray();
        var teacher = ListContext.Compute(new CandidateEncoding(Rerank.Engine.Tensor.Zeros(new Rerank.Engine.TensorShape(1)), content, batch.EmbeddingWidth, affinity), slots, 2, 3);
        const int W = ListContext.Width + 1;
        for (var s = 0; s < 2; s++)
        {
            for (var t = 0; t < 3; t++)
            {
                var c = chosen[(s * 3) + t];
                student.AsSpan(((((s * 3) + t) * n) + c) * W, W).ToArray().ShouldBe(teacher.AsSpan(((s * 3) + t) * W, W).ToArray(), 1e-6f);
            }
        }
    }
}
