namespace Rerank.Abstractions;

/// <summary>One logged exposure: a request, the list that was shown and the feedback at each position.</summary>
/// <param name="Request">The request (its candidates include every exposed item).</param>
/// <param name="Exposed">Candidate indices shown, first position first.</param>
/// <param name="Clicks">1 where the item at that position was clicked.</param>
/// <param name="Conversions">1 where the item at that position converted (paid).</param>
public sealed record LoggedList(RerankRequest Request, int[] Exposed, float[] Clicks, float[] Conversions);
