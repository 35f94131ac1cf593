using Rerank.Abstractions;
using Rerank.Engine;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.DeGRe.Tests.Evaluator;

public sealed class LookaheadEvaluatorTests
{
    [Fact]
    public void OrderedLabels_ClicksOneZeroOne_CumulativeThresholdsOnLowerTriangle()
    {
        var request = Fixtures.Data.Requests(1, 1)[0];
        var list = Fixtures.Logged(request, [0, 1, 2], [1f, 0f, 1f]);
        var (targets, mask, valid) = LookaheadEvaluator.OrderedLabels([list], 3, 4);

        // V_1 = 1, V_2 = 1, V_3 = 2: rows t, columns k (threshold k + 1).
        float[] expectedTargets = [1, 0, 0, 0, /**/ 1, 0, 0, 0, /**/ 1, 1, 0, 0];
        float[] expectedMask = [1, 0, 0, 0, /**/ 1, 1, 0, 0, /**/ 1, 1, 1, 0];
        targets.ShouldBe(expectedTargets);
        mask.ShouldBe(expectedMask);
        valid.ShouldBe(6);
    }

    [Fact]
    public void Values_HandLogits_SumSigmoidsUpToPosition()
    {
        var logits = Tensor.FromArray([0f, 5f, 5f, /**/ 0f, 0f, 5f, /**/ 1f, -1f, 2f], new TensorShape(1, 3, 3));
        var values = LookaheadModel.Values(logits, 1, 3);
        static float S(float x) => 1f / (1f + MathF.Exp(-x));
        values[0].ShouldBe(0.5f, 1e-6f);
        values[1].ShouldBe(1f, 1e-6f);
        values[2].ShouldBe(S(1f) + S(-1f) + S(2f), 1e-6f);
    }

    [Fact]
    public void Train_TenEpochs_TrainingLossFalls()
    {
        var data = Fixtures.Data.Training(96, 4);
        var evaluator = new LookaheadEvaluator(Fixtures.TinyEvaluator(10), Fixtures.Context("evaluator"));
        var result = evaluator.Train(data, new TrainingContext(3));
        result.Curve.Count.ShouldBe(10);
        result.Curve[^1].TrainLoss.ShouldBeLessThan(result.Curve[0].TrainLoss);
        result.Curve[^1].ValidationLoss.ShouldNotBeNull();
    }

    [Fact]
    public void PredictPositions_Slates_IncrementsSumToListValue()
    {
        var data = Fixtures.Data.Training(32, 4);
        var evaluator = Fixtures.TrainedEvaluator(data);
        var requests = Fixtures.Data.Requests(3, 9);
        var batch = RerankBatch.Create(Fixtures.Data.Schema, requests);
        var slates = requests.Select(r => new Slate([.. Enumerable.Range(0, r.SlateSize)], 0)).ToArray();
        var clicks = evaluator.PredictPositions(batch, slates, new RerankContext(1));
        var values = evaluator.Evaluate(batch, [.. slates.Select(s => (IReadOnlyList<Slate>)[s])], new RerankContext(1));
        for (var b = 0; b < requests.Count; b++)
        {
            clicks[b].Length.ShouldBe(requests[b].SlateSize);
            ((double)clicks[b].Sum()).ShouldBe(values[b][0], 1e-3);
        }
    }

    [Fact]
    public void PrefixValues_LaterItemsDiffer_EarlierPrefixValuesUnchanged()
    {
        var data = Fixtures.Data.Training(32, 4);
        var evaluator = Fixtures.TrainedEvaluator(data, 1);
        var requests = Fixtures.Data.Requests(1, 9);
        var batch = RerankBatch.Create(Fixtures.Data.Schema, requests);
        var tokens = evaluator.Encode(batch);

        // Two sequences share their first two items; the causal mask must keep V̂ of those prefixes identical.
        var values = evaluator.PrefixValues(tokens, [0, 1, 2, /**/ 0, 1, 3], 2, 3);
        values[0].ShouldBe(values[3], 1e-5f);
        values[1].ShouldBe(values[4], 1e-5f);
        values[2].ShouldNotBe(values[5]);
    }

    [Fact]
    public void PrefixValues_ListContext_CausalAndReadsThePrefix()
    {
        var data = Fixtures.Data.Training(32, 4);
        var options = Fixtures.TinyEvaluator(1);
        options.ListContext = true;
        var evaluator = new LookaheadEvaluator(options, Fixtures.Context("evaluator"));
        evaluator.Train(data, new TrainingContext(3));
        var batch = RerankBatch.Create(Fixtures.Data.Schema, Fixtures.Data.Requests(1, 9));
        var tokens = evaluator.Encode(batch);
        tokens.Content.Length.ShouldBe(batch.Embeddings.Length);

        // Later items leave earlier prefixes alone; the item at t = 3 reads its similarity to another prefix.
        var values = evaluator.PrefixValues(tokens, [0, 1, 2, /**/ 0, 1, 3, /**/ 4, 1, 2], 3, 3);
        values[0].ShouldBe(values[3], 1e-5f);
        values[1].ShouldBe(values[4], 1e-5f);
        values[2].ShouldNotBe(values[5]);
        values[2].ShouldNotBe(values[8]);
    }

    [Fact]
    public void Constructor_UnknownExcludedField_ErrorNamesIt()
    {
        var options = Fixtures.TinyEvaluator();
        options.ExcludeFields = ["no_such_field"];
        Should.Throw<ComponentException>(() => new LookaheadEvaluator(options, Fixtures.Context("evaluator"))).Message.ShouldContain("no_such_field");
    }

    [Fact]
    public void Train_ItemIdExcluded_TrainsWithoutThatEmbedding()
    {
        var options = Fixtures.TinyEvaluator(1);
        var idField = Fixtures.Data.Schema.Fields.First(f => f.Kind == FeatureKind.Categorical && f.Side == FeatureSide.Item).Name;
        options.ExcludeFields = [idField];
        var evaluator = new LookaheadEvaluator(options, Fixtures.Context("evaluator"));
        evaluator.Train(Fixtures.Data.Training(16, 4), new TrainingContext(3)).Curve.Count.ShouldBe(1);
        evaluator.Model!.NamedParameters().ShouldNotContain(p => p.Key.Contains(idField, StringComparison.Ordinal));
        new LookaheadEvaluator(Fixtures.TinyEvaluator(1), Fixtures.Context("evaluator")).Model!.NamedParameters().ShouldContain(p => p.Key.Contains(idField, StringComparison.Ordinal));
    }

    [Fact]
    public void Save_UnsetOptionalFields_LeftOutOfTheParamsSoOlderCheckpointsMatch()
    {
        var data = Fixtures.Data.Training(16, 4);
        var plain = Fixtures.TrainedEvaluator(data, 1);
        var options = Fixtures.TinyEvaluator(1);
        options.ListContext = true;
        var extended = new LookaheadEvaluator(options, Fixtures.Context("evaluator"));
        extended.Train(data, new TrainingContext(3));
        var path = Path.Combine(Path.GetTempPath(), $"degre-{Guid.NewGuid():N}.safetensors");
        try
        {
            plain.Save(path);
            var written = Rerank.Engine.IO.SafeTensors.Load(path).Metadata["hyper_parameters"];
            written.ShouldNotContain("list_context");
            written.ShouldNotContain("history_affinity");
            extended.Save(path);
            Rerank.Engine.IO.SafeTensors.Load(path).Metadata["hyper_parameters"].ShouldContain("\"list_context\":true");
            Should.Throw<CheckpointMismatchException>(() => Fixtures.TrainedEvaluator(data, 1).Load(path)).Mismatches
                .ShouldContain("hyper-parameter 'list_context' is in the checkpoint (true) but not a hyper-parameter here");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_OtherParams_ErrorNamesTheMismatch()
    {
        var data = Fixtures.Data.Training(16, 4);
        var evaluator = Fixtures.TrainedEvaluator(data, 1);
        var path = Path.Combine(Path.GetTempPath(), $"degre-{Guid.NewGuid():N}.safetensors");
        try
        {
            evaluator.Save(path);
            var other = new LookaheadEvaluator(new EvaluatorOptions { Layers = 2, ModelWidth = 16, Heads = 2 }, Fixtures.Context("evaluator"));
            Should.Throw<CheckpointMismatchException>(() => other.Load(path)).Mismatches.ShouldContain("hyper-parameter 'layers' is 1 in the checkpoint, 2 here");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
