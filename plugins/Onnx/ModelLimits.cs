using System.Globalization;
using Rerank.Abstractions;

namespace Rerank.Plugins.Onnx;

/// <summary>
/// The list lengths a model was built for, as <c>rerank export onnx</c> records them in the model's metadata:
/// <c>rerank.max_candidates</c>, the longest candidate list (PRM: its positions), and <c>rerank.max_positions</c>, the
/// longest slate (NAR4Rec's generator). Past them the model's position table runs out and ONNX Runtime fails with a
/// message about some node's shapes or indices; checked here first, the batch is refused with the component, the limit,
/// its key and the batch's value named. A model without these keys has no limits.
/// </summary>
/// <param name="MaxCandidates">The longest candidate list (for an evaluator, whose rows are slates: the longest slate).</param>
/// <param name="MaxPositions">The largest slate size (for an evaluator: the longest slate).</param>
internal sealed record ModelLimits(int? MaxCandidates, int? MaxPositions)
{
    /// <summary>The metadata key of <see cref="MaxCandidates"/>.</summary>
    public const string MaxCandidatesKey = "rerank.max_candidates";

    /// <summary>The metadata key of <see cref="MaxPositions"/>.</summary>
    public const string MaxPositionsKey = "rerank.max_positions";

    /// <summary>The limits in a model's custom metadata; a value that is not a positive whole number is a problem.</summary>
    public static ModelLimits Read(IReadOnlyDictionary<string, string> metadata, ICollection<string> problems) =>
        new(Read(metadata, MaxCandidatesKey, problems), Read(metadata, MaxPositionsKey, problems));

    /// <summary>Throws a <see cref="ComponentException"/> when <paramref name="value"/>, <paramref name="what"/>, exceeds <see cref="MaxCandidates"/>.</summary>
    public void CheckCandidates(string component, string model, int value, string what) => Check(MaxCandidates, MaxCandidatesKey, component, model, value, what);

    /// <summary>Throws a <see cref="ComponentException"/> when <paramref name="value"/>, <paramref name="what"/>, exceeds <see cref="MaxPositions"/>.</summary>
    public void CheckPositions(string component, string model, int value, string what) => Check(MaxPositions, MaxPositionsKey, component, model, value, what);

    private static void Check(int? limit, string key, string component, string model, int value, string what)
    {
        if (limit is { } max && value > max)
        {
            throw new ComponentException(string.Create(CultureInfo.InvariantCulture,
                $"{component}: {what} is {value}, but the ONNX model '{model}' was built for at most {max} (its metadata {key} = {max}); shorten the lists, or export the model with a larger limit"));
        }
    }

    private static int? Read(IReadOnlyDictionary<string, string> metadata, string key, ICollection<string> problems)
    {
        if (!metadata.TryGetValue(key, out var text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        problems.Add($"metadata {key} is '{text}', not a positive whole number");
        return null;
    }
}
