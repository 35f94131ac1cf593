using Rerank.Conformance;

namespace Company.RerankPlugin.Tests;

// One line per component: the suite of its kind runs every conformance check on it (YAML round trip of its options,
// seeded determinism, independence from the rest of the batch, save/load, checkpoint metadata, the kind's own contract).
public sealed class CategoryCapConformance() : DiversifierConformance(new SampleVendorPlugin(), "category-cap");

public sealed class LinearScorerConformance() : ScorerConformance(new SampleVendorPlugin(), "linear", "epochs: 2");
