namespace Rerank.Plugins.DeGRe;

/// <summary>One lookahead list of T_syn with its dense supervision (§4.2).</summary>
/// <param name="Items">The hard label: the candidate chosen at each position.</param>
/// <param name="Value">V̂(l), the evaluator's value of the whole list.</param>
/// <param name="Weight">w_l = B·softmax(V̂(l)/τ_w) over the lists of the request (eq. 10).</param>
/// <param name="Soft">Soft labels q_t (eq. 9), row-major [L, N]: 0 for candidates already chosen before t.</param>
internal sealed record MinedList(int[] Items, float Value, float Weight, float[] Soft);

/// <summary>The lookahead set T_syn of one training request.</summary>
/// <param name="Index">Position of the request in the training logs.</param>
/// <param name="RequestId">The request's id.</param>
/// <param name="Candidates">N, the request's candidate count (the width of the soft labels).</param>
/// <param name="Lists">The B lists found by beam search, best first.</param>
internal sealed record MinedRequest(int Index, string RequestId, int Candidates, IReadOnlyList<MinedList> Lists);
