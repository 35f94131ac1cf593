namespace Rerank.Abstractions;

/// <summary>Logged lists to learn from, split into training and validation.</summary>
/// <param name="Schema">The features the lists carry.</param>
/// <param name="Train">Training lists.</param>
/// <param name="Validation">Held-out lists for validation loss and early stopping.</param>
public sealed record TrainingData(FeatureSchema Schema, IReadOnlyList<LoggedList> Train, IReadOnlyList<LoggedList> Validation);
