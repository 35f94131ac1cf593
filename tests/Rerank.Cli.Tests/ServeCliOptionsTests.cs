using System.CommandLine;
using Rerank.Cli;
using Rerank.Runtime.Configuration;
using Rerank.Serving;

namespace Rerank.Cli.Tests;

public sealed class ServeCliOptionsTests
{
    private static ServeOverrides Overrides(string args)
    {
        var options = new ServeCliOptions();
        var command = new RootCommand();
        options.AddTo(command);
        return options.Overrides(command.Parse(args));
    }

    [Fact]
    public void Overrides_ValuesInRange_AreKept() =>
        (Overrides("--max-batch-size 65536 --max-queue-delay-us 0 --deadline-ms 600000 --workers 1") with { Paths = null })
            .ShouldBe(new ServeOverrides { MaxBatchSize = 65536, MaxQueueDelayMicroseconds = 0, DeadlineMilliseconds = 600000, Workers = 1 });

    [Theory]
    [InlineData("--max-batch-size 65537", "--max-batch-size: must be in [1, 65536], got 65537")]
    [InlineData("--max-queue-delay-us -1", "--max-queue-delay-us: must be in [0, 10000000], got -1")]
    [InlineData("--deadline-ms 0", "--deadline-ms: must be in [1, 600000], got 0")]
    [InlineData("--workers 1025", "--workers: must be in [1, 1024], got 1025")]
    public void Overrides_ValueOutOfRange_NamesOptionRangeAndValue(string args, string message) =>
        Should.Throw<ConfigException>(() => Overrides(args)).Errors.ShouldHaveSingleItem().ToString().ShouldBe(message);
}
