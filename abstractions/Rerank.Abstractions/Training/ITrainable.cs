namespace Rerank.Abstractions;

/// <summary>A component that learns from logged lists and persists what it learned.</summary>
public interface ITrainable
{
    /// <summary>Whether weights are present (trained or loaded).</summary>
    bool IsTrained { get; }

    /// <summary>Trains on <paramref name="data"/>.</summary>
    TrainResult Train(TrainingData data, TrainingContext context);

    /// <summary>
    /// Writes weights and metadata (plugin id and version, component, hyper-parameters, schema) atomically to
    /// <paramref name="path"/> (safetensors), through the engine's checkpoint contract (<c>Rerank.Engine.Checkpoints.Checkpoint.Save</c>).
    /// </summary>
    void Save(string path);

    /// <summary>
    /// Reads weights from <paramref name="path"/> (<c>Checkpoint.Load</c>); another plugin, major plugin version, component,
    /// hyper-parameter, schema, tensor name, shape or dtype is one error naming each mismatch, and nothing is loaded.
    /// </summary>
    void Load(string path);
}
