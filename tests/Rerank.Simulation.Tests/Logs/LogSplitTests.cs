using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logs;

namespace Rerank.Simulation.Tests.Logs;

public sealed class LogSplitTests
{
    private static readonly List<(string Id, long? Timestamp)> Requests =
        [.. Enumerable.Range(0, 400).Select(i => ($"req-{i}", (long?)((i * 7919) % 400)))];

    [Fact]
    public void Assign_ByTime_PutsTheLatestRequestsInTestAndTheOnesBeforeInValidation()
    {
        var splits = LogSplit.Assign(Requests, new LogSplitOptions { By = LogSplitBy.Time, Validation = 0.1, Test = 0.2 }, 1);

        Enumerable.Range(0, 400).Where(i => splits[i] == LogSplit.Test).Select(i => Requests[i].Timestamp!.Value).Order()
            .ShouldBe(Enumerable.Range(320, 80).Select(t => (long)t));
        Enumerable.Range(0, 400).Where(i => splits[i] == LogSplit.Validation).Select(i => Requests[i].Timestamp!.Value).Order()
            .ShouldBe(Enumerable.Range(280, 40).Select(t => (long)t));
    }

    [Fact]
    public void Assign_ByTimeWithTies_KeepsFileOrder()
    {
        List<(string, long?)> tied = [("a", 5), ("b", 5), ("c", 5), ("d", 1)];

        LogSplit.Assign(tied, new LogSplitOptions { By = LogSplitBy.Time, Validation = 0, Test = 0.25 }, 1)
            .ShouldBe([LogSplit.Train, LogSplit.Train, LogSplit.Test, LogSplit.Train]);
    }

    [Fact]
    public void Assign_ByRequest_IsDeterministicUnderTheSeedAndNearTheShares()
    {
        var options = new LogSplitOptions { By = LogSplitBy.Request, Validation = 0.2, Test = 0.25 };

        var first = LogSplit.Assign(Requests, options, 11);

        LogSplit.Assign(Requests, options, 11).ShouldBe(first);
        LogSplit.Assign(Requests, options, 12).ShouldNotBe(first);
        first.Count(s => s == LogSplit.Test).ShouldBeInRange(70, 130);
        first.Count(s => s == LogSplit.Validation).ShouldBeInRange(50, 110);

        // A request's split depends on its id only, not on the other requests or their order.
        var reversed = Requests.AsEnumerable().Reverse().ToList();
        LogSplit.Assign(reversed, options, 11).Reverse().ShouldBe(first);
    }
}
