namespace Rerank.Abstractions;

/// <summary>How a decoder combines the scores an <see cref="IStepScorer"/> returns along a slate.</summary>
public enum StepScoreKind
{
    /// <summary>Log-probabilities of placing the candidate at this position: summed along the slate (NAR4Rec, Seq2Slate, DeGRe-G).</summary>
    LogProbability,

    /// <summary>The value of the whole extended prefix: replaces the running score (evaluators such as the oracle, DeGRe-E, SORT).</summary>
    PrefixValue,

    /// <summary>A static per-item relevance that ignores the prefix (PRM, PEAR, DNN): summed along the slate.</summary>
    ItemScore,
}
