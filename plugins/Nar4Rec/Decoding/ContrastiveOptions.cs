using Rerank.Abstractions;

namespace Rerank.Plugins.Nar4Rec;

/// <summary>Options of contrastive decoding (eq. 16).</summary>
public sealed class ContrastiveOptions : IValidatableOptions
{
    /// <summary>α of each decoded slate: slate k uses alphas[k] (K = min(count, alphas)); 0 is greedy on the model's probability.</summary>
    public float[] Alphas { get; set; } = [0.5f];

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (Alphas.Length == 0 || Alphas.Any(a => !(a >= 0 && a <= 1)))
        {
            yield return $"alphas must hold at least one value, each in [0, 1]; got [{string.Join(", ", Alphas)}]";
        }
    }
}
