using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rerank.Abstractions;

namespace Rerank.Plugins.Onnx;

/// <summary>The element types and rank an output must have, per component kind.</summary>
/// <param name="Types">Accepted element types.</param>
/// <param name="Ranks">Accepted ranks.</param>
/// <param name="Meaning">How messages describe it, e.g. "float32 [B, N] (item_scores)".</param>
internal sealed record OutputContract(TensorElementType[] Types, int[] Ranks, string Meaning);

/// <summary>
/// An ONNX Runtime session over one model file, checked against the component's input mapping and the data's schema
/// when it is opened: every model input is mapped once, every mapped name exists, element types and ranks fit their
/// sources, fixed feature widths equal the schema's, the output exists with the kind's type and rank, and the limits in
/// its metadata (<see cref="ModelLimits"/>) are readable. Every problem is named in one <see cref="InvalidDataException"/>;
/// nothing is kept when there is one.
/// </summary>
internal sealed class OnnxModel : IDisposable
{
    private static readonly object WarnedLock = new();
    private static bool _warnedCuda;
    private readonly InferenceSession _session;
    private readonly (OnnxInput Input, NodeMetadata Meta)[] _inputs;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private OnnxModel(string path, InferenceSession session, (OnnxInput, NodeMetadata)[] inputs, string output, NodeMetadata outputMeta, string provider, ModelLimits limits)
    {
        Path = path;
        _session = session;
        _inputs = inputs;
        _inputNames = [.. inputs.Select(i => i.Item1.Name)];
        Output = output;
        OutputMeta = outputMeta;
        _outputNames = [output];
        Provider = provider;
        Limits = limits;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>The output read.</summary>
    public string Output { get; }

    /// <summary>Its declared type and shape.</summary>
    public NodeMetadata OutputMeta { get; }

    /// <summary>The execution provider the session runs on ("cpu" or "cuda").</summary>
    public string Provider { get; }

    /// <summary>The list lengths the model's metadata says it was built for.</summary>
    public ModelLimits Limits { get; }

    /// <summary>Opens and checks <paramref name="path"/>; throws with every mismatch named.</summary>
    public static OnnxModel Open(string path, OnnxModelOptions options, FeatureSchema? schema, string component, OutputContract output)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{component}: ONNX model '{path}' does not exist", path);
        }

        var (session, provider) = CreateSession(path, options, component);
        try
        {
            var problems = new List<string>();
            var model = session.InputMetadata;
            foreach (var (name, meta) in model)
            {
                if (!options.Inputs.Any(i => i.Name == name))
                {
                    problems.Add($"the model's input '{name}' ({Describe(meta)}) is not mapped: add {{ name: {name}, from: <source> }} to inputs");
                }
            }

            var inputs = new List<(OnnxInput, NodeMetadata)>();
            foreach (var input in options.Inputs)
            {
                if (!model.TryGetValue(input.Name, out var meta))
                {
                    problems.Add($"inputs: '{input.Name}' is not an input of the model (its inputs: {string.Join(", ", model.Keys.Select(k => $"'{k}'"))})");
                    continue;
                }

                problems.AddRange(CheckInput(input, meta, schema));
                inputs.Add((input, meta));
            }

            var outputs = session.OutputMetadata;
            var outputName = options.Output ?? (outputs.Count == 1 ? outputs.Keys.Single() : null);
            NodeMetadata? outputMeta = null;
            if (outputName is null)
            {
                problems.Add($"output: the model has {outputs.Count} outputs ({string.Join(", ", outputs.Keys.Select(k => $"'{k}'"))}); name the one to read");
            }
            else if (!outputs.TryGetValue(outputName, out outputMeta))
            {
                problems.Add($"output: '{outputName}' is not an output of the model (its outputs: {string.Join(", ", outputs.Keys.Select(k => $"'{k}'"))})");
            }
            else if (!outputMeta.IsTensor || !output.Types.Contains(outputMeta.ElementDataType) || !output.Ranks.Contains(outputMeta.Dimensions.Length))
            {
                problems.Add($"output '{outputName}' is {Describe(outputMeta)}; this component reads {output.Meaning}");
            }

            var limits = ModelLimits.Read(session.ModelMetadata.CustomMetadataMap, problems);
            if (problems.Count > 0)
            {
                throw new InvalidDataException($"{component}: ONNX model '{path}' does not fit its mapping: " + string.Join("; ", problems));
            }

            return new OnnxModel(path, session, [.. inputs], outputName!, outputMeta!, provider, limits);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on <paramref name="feeds"/> (one per mapped input, in mapping order) and returns the output's values and shape.</summary>
    public (T[] Values, long[] Shape) Run<T>(IReadOnlyList<Feed> feeds)
        where T : unmanaged
    {
        var values = new List<OrtValue>(feeds.Count);
        try
        {
            for (var i = 0; i < feeds.Count; i++)
            {
                values.Add(feeds[i].ToOrtValue(_inputs[i].Meta.ElementDataType));
            }

            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, _inputNames, values, _outputNames);
            var result = results[0];
            return (result.GetTensorDataAsSpan<T>().ToArray(), result.GetTensorTypeAndShape().Shape);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>The mapped inputs, in order.</summary>
    public IEnumerable<OnnxInput> Inputs => _inputs.Select(i => i.Input);

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private static (InferenceSession Session, string Provider) CreateSession(string path, OnnxModelOptions options, string component)
    {
        var settings = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var provider = "cpu";
        if (options.ExecutionProvider == ExecutionProvider.Cuda)
        {
            try
            {
                settings.AppendExecutionProvider_CUDA(0);
                provider = "cuda";
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                lock (WarnedLock)
                {
                    if (!_warnedCuda)
                    {
                        _warnedCuda = true;
                        Console.Error.WriteLine($"{component}: ONNX Runtime's CUDA provider is not available here ({e.Message.ReplaceLineEndings(" ")}); running on the CPU.");
                    }
                }
            }
        }

        try
        {
            return (new InferenceSession(path, settings), provider);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{component}: ONNX Runtime cannot load '{path}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
        finally
        {
            settings.Dispose();
        }
    }

    private static IEnumerable<string> CheckInput(OnnxInput input, NodeMetadata meta, FeatureSchema? schema)
    {
        var source = Names.Of(input.From);
        if (!meta.IsTensor)
        {
            yield return $"input '{input.Name}' is a {meta.OnnxValueType}, not a tensor";
            yield break;
        }

        var (types, rank) = Expected(input.From);
        if (!types.Contains(meta.ElementDataType))
        {
            yield return $"input '{input.Name}' is {TypeName(meta.ElementDataType)} but {source} gives {string.Join(" or ", types.Select(TypeName))}";
        }

        if (meta.Dimensions.Length != rank)
        {
            yield return $"input '{input.Name}' has rank {meta.Dimensions.Length} ({Describe(meta)}) but {source} has rank {rank}";
        }
        else if (schema is not null && Width(input.From, schema) is { } width && meta.Dimensions[^1] > 0 && meta.Dimensions[^1] != width)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"input '{input.Name}' has last dimension {meta.Dimensions[^1]} but {source} is {width} wide for this data ({WidthParts(input.From, schema)})");
        }
    }

    /// <summary>Accepted element types and the rank of each source.</summary>
    private static (TensorElementType[] Types, int Rank) Expected(InputSource source) => source switch
    {
        InputSource.CandidateMask or InputSource.HistoryMask or InputSource.SlateMask =>
            ([TensorElementType.Float, TensorElementType.Bool, TensorElementType.Int64], 2),
        InputSource.Prices or InputSource.SlatePrices => ([TensorElementType.Float], 2),
        InputSource.ItemCategorical or InputSource.HistoryCategorical or InputSource.SlateCategorical => ([TensorElementType.Int64, TensorElementType.Int32], 3),
        InputSource.SlateSize => ([TensorElementType.Int64, TensorElementType.Int32], 1),
        InputSource.UserCategorical or InputSource.ContextCategorical => ([TensorElementType.Int64, TensorElementType.Int32], 2),
        InputSource.UserDense or InputSource.ContextDense => ([TensorElementType.Float], 2),
        _ => ([TensorElementType.Float], 3),
    };

    /// <summary>The last dimension a source has under <paramref name="schema"/>; null for masks, prices and slate sizes.</summary>
    internal static int? Width(InputSource source, FeatureSchema schema) => source switch
    {
        InputSource.CandidateFeatures or InputSource.SlateFeatures => schema.PriorNames.Length + schema.DenseWidth(FeatureSide.Item) + schema.EmbeddingWidth,
        InputSource.Priors or InputSource.SlatePriors => schema.PriorNames.Length,
        InputSource.ItemDense or InputSource.HistoryDense or InputSource.SlateDense => schema.DenseWidth(FeatureSide.Item),
        InputSource.Embeddings or InputSource.HistoryEmbeddings or InputSource.SlateEmbeddings => schema.EmbeddingWidth,
        InputSource.ItemCategorical or InputSource.HistoryCategorical or InputSource.SlateCategorical => schema.CategoricalCount(FeatureSide.Item),
        InputSource.UserCategorical => schema.CategoricalCount(FeatureSide.User),
        InputSource.UserDense => schema.DenseWidth(FeatureSide.User),
        InputSource.ContextCategorical => schema.CategoricalCount(FeatureSide.Context),
        InputSource.ContextDense => schema.DenseWidth(FeatureSide.Context),
        _ => null,
    };

    private static string WidthParts(InputSource source, FeatureSchema schema) => source switch
    {
        InputSource.CandidateFeatures or InputSource.SlateFeatures => string.Create(CultureInfo.InvariantCulture,
            $"{schema.PriorNames.Length} priors + {schema.DenseWidth(FeatureSide.Item)} item dense + {schema.EmbeddingWidth} embedding"),
        _ => "the schema's " + Names.Of(source).Replace('_', ' '),
    };

    private static string Describe(NodeMetadata meta) =>
        meta.IsTensor
            ? $"{TypeName(meta.ElementDataType)} [{string.Join(", ", meta.Dimensions.Select((d, i) => d > 0 ? d.ToString(CultureInfo.InvariantCulture) : Symbol(meta, i)))}]"
            : meta.OnnxValueType.ToString();

    private static string Symbol(NodeMetadata meta, int i) =>
        meta.SymbolicDimensions is { } names && i < names.Length && !string.IsNullOrEmpty(names[i]) ? names[i] : "?";

    private static string TypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Double => "float64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.Bool => "bool",
        _ => type.ToString().ToLowerInvariant(),
    };
}
