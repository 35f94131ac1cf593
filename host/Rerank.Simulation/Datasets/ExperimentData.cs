using Rerank.Abstractions;
using Rerank.Simulation.Logging;

namespace Rerank.Simulation.Datasets;

/// <summary>What an experiment runs on: the schema, logged lists to train on, and test requests to evaluate on.</summary>
/// <param name="Schema">The features every request carries.</param>
/// <param name="Training">Logged lists for training and validation.</param>
/// <param name="Test">Requests the pipelines are compared on (with ground truth on simulator data).</param>
/// <param name="Parameters">The dataset's type and every parameter (defaults included), for results.json.</param>
/// <param name="TestLabels">
/// Relevance of each test request's candidates (aligned with <see cref="RerankRequest.Candidates"/>; 1 = positive), for
/// ranking metrics such as gAUC@K, MAP@K and recall@K; null when the dataset has none.
/// </param>
/// <param name="TestGains">
/// Graded relevance of each test request's candidates for nDCG@K, where the dataset knows more than a 0/1 label (the
/// simulator knows each candidate's exact attractiveness); null to use <paramref name="TestLabels"/>.
/// </param>
/// <param name="TestImpressions">
/// The test split's logged impressions (what was shown, the feedback, and what is known of the logging policy), aligned with
/// <paramref name="Test"/>, for off-policy evaluation; null when the dataset logged none. The simulator logs its test
/// requests with its own logging policy (<see cref="SimulatedImpressions.Test"/>), on streams of their own.
/// </param>
public sealed record ExperimentData(
    FeatureSchema Schema,
    TrainingData Training,
    IReadOnlyList<RerankRequest> Test,
    IReadOnlyList<KeyValuePair<string, object?>> Parameters,
    IReadOnlyList<float[]>? TestLabels = null,
    IReadOnlyList<float[]>? TestGains = null,
    IReadOnlyList<LoggedImpression>? TestImpressions = null);
