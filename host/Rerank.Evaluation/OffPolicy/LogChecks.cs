namespace Rerank.Evaluation.OffPolicy;

/// <summary>Input checks shared by the estimators; every message names the estimator and the request.</summary>
internal static class LogChecks
{
    /// <summary>Checks the log and the target slates fit together; returns the longest slate (the number of positions).</summary>
    public static int Slates(string estimator, IReadOnlyList<LoggedSlate> log, IReadOnlyList<int[]> targets, OffPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (log.Count == 0)
        {
            throw new ArgumentException($"{estimator} needs at least one logged request", nameof(log));
        }

        if (targets.Count != log.Count)
        {
            throw new ArgumentException($"{estimator}: {targets.Count} target slates for {log.Count} logged requests; one per request", nameof(targets));
        }

        var longest = 0;
        for (var i = 0; i < log.Count; i++)
        {
            var entry = log[i] ?? throw new ArgumentException($"{estimator}: request {i} is null", nameof(log));
            if (entry.Slate is null || entry.Rewards is null || entry.Policy is null)
            {
                throw new ArgumentException($"{estimator}: request {i} has no {(entry.Slate is null ? "slate" : entry.Rewards is null ? "rewards" : "logging policy")}", nameof(log));
            }

            var n = entry.Policy.Candidates;
            if (entry.Slate.Length != entry.Policy.SlateSize)
            {
                throw new ArgumentException($"{estimator}: request {i}'s logged slate has {entry.Slate.Length} items but its logging policy fills {entry.Policy.SlateSize} positions", nameof(log));
            }

            if (entry.Rewards.Length != entry.Slate.Length)
            {
                throw new ArgumentException($"{estimator}: request {i} has {entry.Rewards.Length} rewards for {entry.Slate.Length} positions", nameof(log));
            }

            foreach (var reward in entry.Rewards)
            {
                if (!double.IsFinite(reward))
                {
                    throw new ArgumentException($"{estimator}: request {i} has a reward of {reward}; rewards must be finite", nameof(log));
                }
            }

            Items(estimator, i, "logged", entry.Slate, n, nameof(log));
            var target = targets[i] ?? throw new ArgumentException($"{estimator}: request {i} has no target slate", nameof(targets));
            if (target.Length != entry.Slate.Length)
            {
                throw new ArgumentException($"{estimator}: request {i}'s target slate has {target.Length} items, its logged slate {entry.Slate.Length}; they must be as long", nameof(targets));
            }

            Items(estimator, i, "target", target, n, nameof(targets));
            longest = Math.Max(longest, target.Length);
        }

        return longest;
    }

    /// <summary>A propensity the estimator needs: present, finite and in (0, 1].</summary>
    public static double Probability(string estimator, int request, double? probability, string what, string record)
    {
        if (probability is not { } p)
        {
            throw new InvalidOperationException($"{estimator} needs {what}; request {request}'s log has none (record {record})");
        }

        if (!(p > 0 && p <= 1))
        {
            throw new ArgumentException($"{estimator}: request {request}'s logging policy gives probability {p} for its logged slate ({what}); a logged slate must have probability in (0, 1]");
        }

        return p;
    }

    private static void Items(string estimator, int request, string which, int[] slate, int candidates, string parameter)
    {
        var seen = new HashSet<int>();
        foreach (var item in slate)
        {
            if (item < 0 || item >= candidates)
            {
                throw new ArgumentException($"{estimator}: request {request}'s {which} slate holds item {item}, not one of its {candidates} candidates", parameter);
            }

            if (!seen.Add(item))
            {
                throw new ArgumentException($"{estimator}: request {request}'s {which} slate holds item {item} twice", parameter);
            }
        }
    }
}
