namespace Rerank.Plugins.Nar4Rec;

/// <summary>A step session that exposes unit-length candidate representations, so contrastive decoding can use s(·,·) of eq. 17.</summary>
internal interface IRepresentationSession
{
    /// <summary>Width of the representations.</summary>
    int Width { get; }

    /// <summary>The unit-length representation of candidate <paramref name="i"/> of request <paramref name="b"/>.</summary>
    ReadOnlySpan<float> Unit(int b, int i);
}
