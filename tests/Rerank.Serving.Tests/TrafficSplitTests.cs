using System.Collections.Immutable;
using System.Globalization;
using Rerank.Abstractions;
using Rerank.Serving;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

public sealed class TrafficSplitTests
{
    private static TrafficSplit Split() => new(
        "nar4rec",
        "nar4rec",
        [new SplitArm("stable", "nar4rec-v1", 90), new SplitArm("canary", "nar4rec-v2", 10)],
        SourceLocation.None);

    [Fact]
    public void Route_SameUser_AlwaysSameArm()
    {
        var split = Split();
        for (var u = 0; u < 200; u++)
        {
            var user = "user-" + u.ToString(CultureInfo.InvariantCulture);
            var first = split.Route(user);
            Enumerable.Range(0, 5).Select(_ => split.Route(user)).ShouldAllBe(a => a == first);
        }
    }

    [Fact]
    public void Route_ManyUsers_FollowsTheWeights()
    {
        var split = Split();
        var canary = Enumerable.Range(0, 20_000).Count(u => split.Route("u" + u.ToString(CultureInfo.InvariantCulture)).Name == "canary");
        // Binomial(20000, 0.1): sd ≈ 42, so ±300 is > 7 sd.
        canary.ShouldBeInRange(1_700, 2_300);
    }

    [Fact]
    public async Task HandleAsync_Split_RoutesStickilyAndNamesTheArm()
    {
        await using var h = await ServingHarness.StartAsync(new Dictionary<string, string>
        {
            ["v1.yaml"] = ServingFixtures.Pipeline("v1", "probe@1.0.0/order"),
            ["v2.yaml"] = ServingFixtures.Pipeline("v2", "probe@1.1.0/order"),
            ["splits.yaml"] = "splits:\n  - name: ab\n    arms:\n      - { pipeline: v1, weight: 50, name: control }\n      - { pipeline: v2, weight: 50, name: treatment }\n",
        });
        var split = h.Runtime.Current!.Splits["ab"];
        var arms = new HashSet<string>();
        for (var u = 0; u < 12; u++)
        {
            var user = "user-" + u.ToString(CultureInfo.InvariantCulture);
            var json = await ServingFixtures.JsonAsync(await h.PostAsync("/v1/pipelines/ab:rerank", ServingFixtures.Request(user: user)));
            var expected = split.Route(user);
            ((string)json["split"]!).ShouldBe("ab");
            ((string)json["arm"]!).ShouldBe(expected.Name);
            ((string)json["pipeline"]!).ShouldBe(expected.Pipeline);
            ServingFixtures.Ids(json)[0].ShouldBe(expected.Pipeline == "v1" ? "c0" : "c4");
            arms.Add(expected.Name);
        }

        arms.Count.ShouldBe(2);
        h.Runtime.Metrics.SplitRequests.Value("ab", "control").ShouldBe(12 - h.Runtime.Metrics.SplitRequests.Value("ab", "treatment"));
    }
}
