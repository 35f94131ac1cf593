using Rerank.Abstractions;
using Rerank.Conformance;

namespace Rerank.Plugins.Onnx.Tests;

// The conformance suites, with the fixture model loaded where a trainable component would train. An ONNX file is the
// component's checkpoint but not an engine checkpoint: loading checks it against the input mapping instead.

public sealed class OnnxScorerConformance() : ScorerConformance(new OnnxPlugin(), "scorer", OnnxFixtures.FeaturesAndMask)
{
    protected override bool SavesThroughCheckpointContract => false;

    protected override void Prepare(IStepScorer component) => ((ITrainable)component).Load(OnnxFixtures.Model("scorer_linear.onnx"));
}

public sealed class OnnxPositionScorerConformance() : ScorerConformance(new OnnxPlugin(), "scorer", OnnxFixtures.FeaturesAndMask + "output_kind: position_log_probs\n")
{
    private static readonly IConformanceData ThreePositions = new AtMostThreePositions();

    protected override bool SavesThroughCheckpointContract => false;

    // The fixture model gives 3 positions; the synthetic requests ask for slates of 2 to 5.
    protected override IConformanceData Data => ThreePositions;

    protected override void Prepare(IStepScorer component) => ((ITrainable)component).Load(OnnxFixtures.Model("scorer_positions.onnx"));

    private sealed class AtMostThreePositions : IConformanceData
    {
        private readonly SyntheticData _data = new();

        public FeatureSchema Schema => _data.Schema;

        public IReadOnlyList<RerankRequest> Requests(int count, ulong seed) =>
            [.. _data.Requests(count, seed).Select(r => new RerankRequest
            {
                RequestId = r.RequestId,
                UserId = r.UserId,
                UserCategorical = r.UserCategorical,
                UserDense = r.UserDense,
                ContextCategorical = r.ContextCategorical,
                ContextDense = r.ContextDense,
                History = r.History,
                Candidates = r.Candidates,
                SlateSize = Math.Min(3, r.SlateSize),
                GroundTruth = r.GroundTruth,
            })];

        public TrainingData Training(int lists, ulong seed) => _data.Training(lists, seed);
    }
}

public sealed class OnnxEvaluatorConformance() : EvaluatorConformance(new OnnxPlugin(), "evaluator", OnnxFixtures.SlateInputs)
{
    protected override bool SavesThroughCheckpointContract => false;

    protected override void Prepare(IEvaluator component) => ((ITrainable)component).Load(OnnxFixtures.Model("evaluator_sum.onnx"));
}
