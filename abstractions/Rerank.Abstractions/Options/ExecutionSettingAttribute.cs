namespace Rerank.Abstractions;

/// <summary>
/// Marks an options property that says how a component runs, not what it computes — like the component's
/// <c>device:</c> — such as replaying its forward pass as CUDA graphs. The host leaves it out of the component's
/// identity: its seed, the file name its trained checkpoint gets, and the hyper-parameters a checkpoint records and a
/// load compares. Changing it therefore neither re-seeds nor retrains, and a checkpoint loads whatever it is set to.
/// Make the property nullable (null: the default behaviour) so the params text of a spec that leaves it unset stays
/// what it was before the setting existed.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class ExecutionSettingAttribute : Attribute;
