using System.ComponentModel.DataAnnotations;
using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>Options of contrastive decoding (eq. 16).</summary>
public sealed class ContrastiveOptions : IValidatableOptions
{
    /// <summary>α of each decoded slate: slate k uses alphas[k] (K = min(count, alphas)); 0 is greedy on the model's probability. Range: [0, 1] each.</summary>
    [Range(0.0, 1.0)]
    public float[] Alphas { get; set; } = [0.5f];

    /// <summary>
    /// s(·,·) of eq. 17: <c>representations</c> (the paper: cosine of the scorer's candidate representations, falling back to
    /// the content embeddings for scorers without them) or <c>embeddings</c> (cosine of the items' content embeddings).
    /// </summary>
    public SimilaritySource Similarity { get; set; } = SimilaritySource.Representations;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Alphas is null || Alphas.Length == 0)
        {
            yield return "alphas must hold at least one value";
        }
    }
}

/// <summary>Which vectors the similarity penalty of contrastive decoding compares.</summary>
public enum SimilaritySource
{
    /// <summary>The scorer's candidate representations (eq. 17), or the content embeddings when it has none.</summary>
    Representations,

    /// <summary>The items' content embeddings.</summary>
    Embeddings,
}
