namespace Rerank.Plugins.Pear;

/// <summary>
/// Where the learned recency embedding of a history item enters PEAR when <c>history_positions: true</c> (an extension:
/// the recency of a history item as an item feature; the paper's eq. 2 treats the history as a set).
/// </summary>
public enum HistoryPositionSite
{
    /// <summary>Added to Z_B, the eq. 1 output of the history columns, before the history self-attention (eq. 2).</summary>
    Attention,

    /// <summary>Concatenated to the history item's features as an input of the eq. 1 interaction (list items get zeros).</summary>
    Interaction,
}
