namespace Rerank.Engine.Checkpoints;

/// <summary>
/// What a checkpoint is the weights of: written into its metadata by <see cref="Checkpoint.Save"/> and compared with
/// the loading component's own identity by <see cref="Checkpoint.Load"/>.
/// </summary>
/// <param name="PluginId">The plugin's id (<c>nar4rec</c>).</param>
/// <param name="PluginVersion">The plugin's SemVer version (<c>1.0.0</c>); a checkpoint loads into the same major version.</param>
/// <param name="Component">
/// The component whose weights these are: its registered name, or, where several components share one model (SORT-Gen's
/// evaluator, scorer and generator share the SORT model), the model's name.
/// </param>
/// <param name="HyperParameters">The options that shape or train the weights (usually the component's options object).</param>
/// <param name="Schema">The feature schema the weights were trained on, as <c>FeatureSchema.Describe()</c> writes it.</param>
public sealed record CheckpointIdentity(string PluginId, string PluginVersion, string Component, HyperParameters HyperParameters, string Schema);
