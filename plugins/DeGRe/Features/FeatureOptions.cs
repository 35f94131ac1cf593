namespace Rerank.Plugins.DeGRe;

/// <summary>Hyper-parameters of the shared feature processing (field embeddings, GLN, inter-domain attention).</summary>
/// <param name="EmbeddingSize">Width of each field embedding (paper: 16).</param>
/// <param name="FieldHeads">Heads of the inter-domain attention across the fields of one position.</param>
/// <param name="HistoryWindow">Most recent history items mean-pooled into the user's history field.</param>
/// <param name="Excluded">Categorical fields (schema names) left out of the model; empty: every field.</param>
internal sealed record FeatureOptions(int EmbeddingSize, int FieldHeads, int HistoryWindow, IReadOnlyCollection<string> Excluded);
