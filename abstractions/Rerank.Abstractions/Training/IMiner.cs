namespace Rerank.Abstractions;

/// <summary>
/// A trainable component whose training starts from supervision mined offline (e.g. DeGRe's beam search under a
/// lookahead evaluator). Mining can be split over processes or machines: shard i of n covers a deterministic slice of
/// the training requests, and the outputs of shards 0 … n−1, concatenated in order, equal the output of one run
/// (shard 0 of 1) byte for byte.
/// </summary>
public interface IMiner
{
    /// <summary>Mines shard <paramref name="shard"/> of <paramref name="shards"/> of <paramref name="data"/>'s training requests into <paramref name="output"/>.</summary>
    /// <param name="data">The training logs (their requests are mined).</param>
    /// <param name="shard">The shard index i, 0 ≤ i &lt; n.</param>
    /// <param name="shards">The shard count n.</param>
    /// <param name="output">Where the shard's records go.</param>
    /// <param name="context">Seed, progress and cancellation (a teacher that is not trained yet is trained with it).</param>
    void Mine(TrainingData data, int shard, int shards, Stream output, TrainingContext context);
}
