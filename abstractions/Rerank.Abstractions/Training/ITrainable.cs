namespace Rerank.Abstractions;

/// <summary>A component that learns from logged lists and persists what it learned.</summary>
public interface ITrainable
{
    /// <summary>Whether weights are present (trained or loaded).</summary>
    bool IsTrained { get; }

    /// <summary>Trains on <paramref name="data"/>.</summary>
    TrainResult Train(TrainingData data, TrainingContext context);

    /// <summary>Writes weights and metadata (plugin id and version, component, hyper-parameters, schema) atomically to <paramref name="path"/> (safetensors).</summary>
    void Save(string path);

    /// <summary>Reads weights from <paramref name="path"/>; a mismatched schema, name, shape or dtype is an error naming each mismatch.</summary>
    void Load(string path);
}
