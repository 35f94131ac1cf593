using Rerank.Abstractions;

namespace Rerank.Simulation;

/// <summary>A simulated dataset: logged lists for training and validation, test requests with their ground truth.</summary>
public sealed class SimulatedDataset
{
    internal SimulatedDataset(
        SimulatorOptions options,
        ulong seed,
        SimWorld world,
        IReadOnlyList<LoggedList> train,
        IReadOnlyList<LoggedList> validation,
        IReadOnlyList<RerankRequest> test)
    {
        Options = options;
        Seed = seed;
        World = world;
        Train = train;
        Validation = validation;
        Test = test;
        Schema = SchemaOf(options);
    }

    /// <summary>The features every request carries.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>The parameters it was generated with (do not modify).</summary>
    public SimulatorOptions Options { get; }

    /// <summary>The seed it was generated with.</summary>
    public ulong Seed { get; }

    /// <summary>The hidden world.</summary>
    internal SimWorld World { get; }

    /// <summary>Logged lists for training.</summary>
    public IReadOnlyList<LoggedList> Train { get; }

    /// <summary>Logged lists for validation.</summary>
    public IReadOnlyList<LoggedList> Validation { get; }

    /// <summary>Test requests, each with its <see cref="RerankRequest.GroundTruth"/>.</summary>
    public IReadOnlyList<RerankRequest> Test { get; }

    /// <summary>The simulator's feature schema for <paramref name="options"/>.</summary>
    public static FeatureSchema SchemaOf(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<FeatureField> fields =
        [
            new FeatureField("user_id", FeatureKind.Categorical, FeatureSide.User, options.Users),
            new FeatureField("user_segment", FeatureKind.Categorical, FeatureSide.User, options.Segments),
        ];
        if (options.PatienceSpread > 0)
        {
            // The noisy observation of the user's patience γ_u (only with user-specific patience on).
            fields.Add(new FeatureField("user_patience", FeatureKind.Dense, FeatureSide.User, 1));
        }

        fields.Add(new FeatureField("item_id", FeatureKind.Categorical, FeatureSide.Item, options.Items));
        fields.Add(new FeatureField("category", FeatureKind.Categorical, FeatureSide.Item, options.Categories));
        fields.Add(new FeatureField("log_price", FeatureKind.Dense, FeatureSide.Item, 1));
        return new FeatureSchema(
            fields,
            ["ctr", "cvr"],
            options.EmbeddingDim);
    }

    /// <summary>Train and validation logs with the schema.</summary>
    public TrainingData ToTrainingData() => new(Schema, Train, Validation);

    /// <summary>Type, every parameter (defaults included, snake_case keys) and the seed, for results.json's "dataset".</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Describe()
    {
        var entries = new List<KeyValuePair<string, object?>> { new("type", "simulator") };
        foreach (var property in OptionsBinder.Bindable(typeof(SimulatorOptions)))
        {
            var value = property.GetValue(Options);
            entries.Add(new(OptionsBinder.KeyOf(property.Name), value is Enum e ? OptionsBinder.KeyOf(e.ToString()) : value));
        }

        entries.Add(new("seed", Seed));
        return entries;
    }
}
