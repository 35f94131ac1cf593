using System.Globalization;
using System.Text.Json.Nodes;
using Rerank.Evaluation.Results;
using Rerank.Runtime.IO;

namespace Rerank.Evaluation.Experiments;

/// <summary>
/// A training curve saved beside a shared checkpoint (<c>X.safetensors.curve.json</c>), so a run that loads the checkpoint
/// instead of training reports the curve the training produced (its losses and seconds, to the last digit).
/// </summary>
internal static class TrainingCurves
{
    public const string Suffix = ".curve.json";

    public static void Write(string path, TrainingCurve curve)
    {
        var epochs = new JsonArray();
        foreach (var (epoch, train, validation) in curve.Epochs)
        {
            epochs.Add(new JsonObject { ["epoch"] = epoch, ["train"] = train, ["validation"] = validation });
        }

        var json = new JsonObject { ["component"] = curve.Component, ["seconds"] = curve.Seconds, ["epochs"] = epochs };
        AtomicFile.WriteAllText(path, json.ToJsonString() + "\n");
    }

    /// <summary>The curve at <paramref name="path"/>; null when there is none (a checkpoint saved without one).</summary>
    public static TrainingCurve? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))!;
            var epochs = json["epochs"]!.AsArray()
                .Select(e => ((int)e!["epoch"]!, (double)e["train"]!, (double?)e["validation"]))
                .ToList();
            return new TrainingCurve((string)json["component"]!, epochs, (double)json["seconds"]!);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: not a training curve ({e.Message})"), e);
        }
    }
}
