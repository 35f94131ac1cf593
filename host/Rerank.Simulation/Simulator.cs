using System.Globalization;
using Rerank.Abstractions;
using Rerank.Runtime.Randomness;

namespace Rerank.Simulation;

/// <summary>Generates a <see cref="SimulatedDataset"/> (shared/SIMULATOR.md), deterministically under a seed.</summary>
public static class Simulator
{
    internal const string TrainSplit = "train";
    internal const string ValidationSplit = "validation";
    internal const string TestSplit = "test";

    /// <summary>Draws the world, the users' streams, then every request of every split; progress goes from 0 to 1.</summary>
    public static SimulatedDataset Generate(SimulatorOptions options, ulong seed, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid simulator params: " + string.Join("; ", problems), nameof(options));
        }

        options = options.Clone();
        var world = SimWorld.Generate(options, seed);
        var streams = world.Streams(options, seed);
        var total = Math.Max(1, options.TrainRequests + options.ValidationRequests + options.TestRequests);
        var done = 0;
        void Report()
        {
            var d = Interlocked.Increment(ref done);
            if (progress is not null && (d % 500 == 0 || d == total))
            {
                progress.Report((double)d / total);
            }
        }

        var generator = new RequestGenerator(options, seed, world, streams);
        var train = Split(options.TrainRequests, i => generator.Logged(TrainSplit, i), Report);
        var validation = Split(options.ValidationRequests, i => generator.Logged(ValidationSplit, i), Report);
        var test = Split(options.TestRequests, i => generator.Request(TestSplit, i).Request, Report);
        progress?.Report(1.0);
        return new SimulatedDataset(options, seed, world, train, validation, test);
    }

    /// <summary>The id of request <paramref name="index"/> of <paramref name="split"/>, e.g. <c>test-000123</c>.</summary>
    public static string RequestId(string split, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{split}-{index:D6}");

    private static T[] Split<T>(int count, Func<int, T> make, Action report)
    {
        var items = new T[count];
        Parallel.For(0, count, i =>
        {
            items[i] = make(i);
            report();
        });
        return items;
    }

    /// <summary>Builds requests and logs; each request draws from its own random stream, so order and threads do not matter.</summary>
    private sealed class RequestGenerator(SimulatorOptions options, ulong seed, SimWorld world, int[][] streams)
    {
        private readonly double[][] _affinity = [.. Enumerable.Range(0, world.Users).Select(world.Affinity)];
        private readonly double[][] _cumulative = [.. Enumerable.Range(0, world.Users).Select(u => world.CumulativeWeights(u, 1.0 / options.CandidateTemperature))];

        public (RerankRequest Request, SimulatedListUtility Truth, SeededRandom Random) Request(string split, int index)
        {
            var rng = SeededRandom.For(SimWorld.StableHash(seed, split), (ulong)index);
            var user = rng.NextInt(world.Users);

            // Cut the stream at τ ∈ [H, stream length]: the history is the last H items before τ.
            var h = options.HistoryLength;
            var tau = h + rng.NextInt(options.StreamLength - h + 1);
            var history = streams[user].AsSpan(tau - h, h).ToArray();

            // N candidates ∝ exp(⟨w_u, e_j⟩ / T) without replacement (Gumbel top-N).
            var candidates = SampleWithoutReplacement(rng, _cumulative[user], _affinity[user], 1.0 / options.CandidateTemperature, options.Candidates);
            var (r, g) = world.Hidden(options, user, history, candidates);

            // Priors: ctr = σ(logit r + ε), cvr = σ(logit g + ε'), ε ~ N(0, 0.5²).
            var ctr = new float[candidates.Length];
            var cvr = new float[candidates.Length];
            for (var i = 0; i < candidates.Length; i++)
            {
                ctr[i] = (float)SimWorld.Sigmoid(SimWorld.Logit(r[i]) + (options.PriorNoise * rng.NextGaussian()));
                cvr[i] = (float)SimWorld.Sigmoid(SimWorld.Logit(g[i]) + (options.PriorNoise * rng.NextGaussian()));
            }

            // The ranking stage delivers candidates by descending ctr: the initial list.
            var order = Enumerable.Range(0, candidates.Length).OrderByDescending(i => ctr[i]).ThenBy(i => candidates[i]).ToArray();
            var items = order.Select(i => candidates[i]).ToArray();
            var truth = world.Truth(options, user, items, [.. order.Select(i => r[i])], [.. order.Select(i => g[i])]);
            var request = world.Request(options, RequestId(split, index), user, history, items, [.. order.Select(i => ctr[i])], [.. order.Select(i => cvr[i])], truth);
            return (request, truth, rng);
        }

        public LoggedList Logged(string split, int index)
        {
            var (request, truth, rng) = Request(split, index);
            return Log(request, truth, rng, options.LoggingTemperature);
        }
    }

    /// <summary>
    /// The test requests of <paramref name="dataset"/> logged by the same policy as its training logs (Plackett–Luce over
    /// log ctr / T), each from its own random stream (<c>test-logging/</c> and the request id under the dataset's seed), so
    /// the dataset's own numbers are unchanged and the same dataset always gives the same logs.
    /// </summary>
    public static IReadOnlyList<LoggedList> LogTest(SimulatedDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return [.. dataset.Test.Select(request =>
        {
            var truth = request.GroundTruth as SimulatedListUtility
                ?? throw new InvalidOperationException($"test request '{request.RequestId}' has no simulated ground truth to draw feedback from");
            return Log(request, truth, SeededRandom.For(dataset.Seed, "test-logging/" + request.RequestId), dataset.Options.LoggingTemperature);
        })];
    }

    /// <summary>
    /// Logs <paramref name="request"/>: the slate by Plackett–Luce over log ctr / <paramref name="temperature"/> (Gumbel keys,
    /// top L in key order), then clicks and conversions drawn from <paramref name="truth"/>'s outcome of that slate.
    /// </summary>
    private static LoggedList Log(RerankRequest request, SimulatedListUtility truth, SeededRandom rng, double temperature)
    {
        var n = request.Candidates.Count;

        // Plackett–Luce over log ctr / T: Gumbel-perturbed keys, top L in key order.
        var logits = new double[n];
        for (var i = 0; i < n; i++)
        {
            logits[i] = Math.Log(request.Candidates[i].Priors[0]);
        }

        var exposed = TopByGumbel(rng, logits, 1.0 / temperature, request.SlateSize);
        // Sample with a throwaway copy of the truth, so the request's own keeps no cosine matrix until it is scored.
        var outcome = truth.Copy().Outcome(exposed);
        var clicks = new float[exposed.Length];
        var conversions = new float[exposed.Length];
        for (var t = 0; t < exposed.Length; t++)
        {
            // Click ~ Bernoulli(P(click_t)); conversion given a click ~ Bernoulli(g·b_t), so P(conv_t) is exact.
            var click = rng.Bernoulli(outcome.Click[t]);
            var convertGivenClick = outcome.Click[t] > 0 ? outcome.Conversion[t] / outcome.Click[t] : 0.0;
            var convert = rng.Bernoulli(convertGivenClick) && click;
            clicks[t] = click ? 1f : 0f;
            conversions[t] = convert ? 1f : 0f;
        }

        return new LoggedList(request, exposed, clicks, conversions);
    }

    /// <summary>
    /// <paramref name="count"/> distinct indices drawn one after another ∝ weight among those not yet drawn: draws ∝ weight
    /// from all (binary search in <paramref name="cumulative"/>) and redraws repeats, which is exact; when repeats pile up
    /// (a few items hold most of the weight) it continues with Gumbel top-k over the items not drawn yet.
    /// </summary>
    internal static int[] SampleWithoutReplacement(SeededRandom rng, double[] cumulative, double[] logits, double scale, int count)
    {
        var chosen = new int[count];
        var taken = new HashSet<int>();
        var total = cumulative[^1];
        var tries = 0;
        for (var k = 0; k < count; k++)
        {
            int j;
            do
            {
                if (++tries > 20 * count)
                {
                    // Each step stays exact: continue with Gumbel top-k over the items not drawn yet.
                    var rest = (double[])logits.Clone();
                    foreach (var t in taken)
                    {
                        rest[t] = double.NegativeInfinity;
                    }

                    TopByGumbel(rng, rest, scale, count - k).CopyTo(chosen, k);
                    return chosen;
                }

                j = SimWorld.Draw(cumulative, 0, cumulative.Length, rng.NextDouble() * total);
            }
            while (!taken.Add(j));
            chosen[k] = j;
        }

        return chosen;
    }

    /// <summary>The <paramref name="count"/> indices with the largest scale·logit + Gumbel noise, largest first.</summary>
    internal static int[] TopByGumbel(SeededRandom rng, double[] logits, double scale, int count)
    {
        var keys = new double[logits.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = (scale * logits[i]) + rng.NextGumbel();
        }

        var top = new int[count];
        var filled = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (filled == count && keys[i] <= keys[top[count - 1]])
            {
                continue;
            }

            var k = filled < count ? filled++ : count - 1;
            while (k > 0 && keys[top[k - 1]] < keys[i])
            {
                top[k] = top[k - 1];
                k--;
            }

            top[k] = i;
        }

        return top;
    }
}
