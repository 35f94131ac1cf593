using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Conformance;
using Rerank.Testing;

namespace Rerank.Plugins.Onnx.Tests;

/// <summary>The tiny models of tests/fixtures/onnx (written by make_fixtures.py with PyTorch) and their weights.</summary>
internal static class OnnxFixtures
{
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "tests", "fixtures", "onnx");

    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder!, "fixtures.json"))));

    public static string Model(string file) => Path.Combine(Folder, file);

    public static JsonElement Json => Document.Value.RootElement;

    public static float[] Weights(string name) => [.. Json.GetProperty("weights").GetProperty(name).EnumerateArray().Select(e => e.GetSingle())];

    public static float[][] WeightRows(string name) =>
        [.. Json.GetProperty("weights").GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetSingle()).ToArray())];

    public static float Scalar(string name) => Json.GetProperty("weights").GetProperty(name).GetSingle();

    /// <summary>Candidate features recomputed independently from the request's items: priors ‖ dense ‖ embedding.</summary>
    public static float[] Features(Item item) => [.. item.Priors, .. item.Dense, .. item.Embedding];

    public static float Dot(float[] a, float[] b)
    {
        var s = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    public static IReadOnlyList<RerankRequest> Requests(int count, ulong seed) => new SyntheticData().Requests(count, seed);

    public static FeatureSchema Schema => new SyntheticData().Schema;

    public const string FeaturesAndMask = "inputs:\n  - { name: features, from: candidate_features }\n  - { name: mask, from: candidate_mask }\n";

    public const string SlateInputs = "inputs:\n  - { name: slate_features, from: slate_features }\n  - { name: slate_mask, from: slate_mask }\n";

    public static T Build<T>(string name, string paramsYaml, string? model)
        where T : class, IComponent
    {
        var component = ComponentBuilder.Build<T>(new OnnxPlugin(), name, paramsYaml, Schema, 7);
        if (model is not null)
        {
            ((ITrainable)component).Load(Model(model));
        }

        return component;
    }
}
