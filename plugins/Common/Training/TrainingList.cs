using Rerank.Abstractions;

namespace Rerank.Plugins.Common;

/// <summary>One logged list ready for training.</summary>
/// <param name="Request">The shown items as a request's candidates.</param>
/// <param name="Labels">Click label of each candidate.</param>
/// <param name="Shown">Position (0-based) at which each candidate was shown.</param>
public sealed record TrainingList(RerankRequest Request, float[] Labels, int[] Shown);
