using Rerank.Abstractions;
using Rerank.Engine.Checkpoints;
using Rerank.Engine.Nn;

namespace Rerank.Plugins.DeGRe;

/// <summary>
/// DeGRe's three models through the engine's checkpoint contract (<see cref="Checkpoint"/>): the identity is the plugin,
/// the component, its options (unset optional ones left out, so checkpoints from before such an option still match) and
/// the schema; a component with nothing trained or no schema yet is an error naming it.
/// </summary>
internal static class TrainedWeights
{
    /// <summary>Saves a component's trained model; a component without one yet is an error naming it.</summary>
    public static void Save(Module? model, FeatureSchema? schema, string path, ComponentContext component, object options)
    {
        if (model is null || schema is null)
        {
            throw new ComponentException($"{component.ComponentName}: nothing to save; it has not been trained");
        }

        Checkpoint.Save(model, path, Identity(component, options, schema));
    }

    /// <summary>Loads a checkpoint into a component's model and switches it to inference; a component not yet built against a schema is an error naming it.</summary>
    public static void Load(Module? model, FeatureSchema? schema, string path, ComponentContext component, object options)
    {
        if (model is null || schema is null)
        {
            throw new ComponentException($"{component.ComponentName}: cannot load {path} without a feature schema; build it against a dataset first");
        }

        Checkpoint.Load(model, path, Identity(component, options, schema));
        model.Eval();
    }

    /// <summary>Who a component's weights belong to (also written into its ONNX export's metadata).</summary>
    public static CheckpointIdentity Identity(ComponentContext component, object options, FeatureSchema schema) =>
        new(component.PluginId, component.PluginVersion, component.ComponentName, HyperParameters.From(options), schema.Describe());
}
