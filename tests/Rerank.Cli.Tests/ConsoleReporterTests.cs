using System.Text.RegularExpressions;
using Rerank.Cli;
using Spectre.Console;

namespace Rerank.Cli.Tests;

public sealed class ConsoleReporterTests
{
    [Fact]
    public void Track_Redirected_LogsProgressWithEtaAtMostEveryFiveSeconds()
    {
        var (console, output) = Console(interactive: false);
        var clock = new ManualClock();
        var reporter = new ConsoleReporter(console, interactive: false, clock);

        var result = reporter.Track("simulate", 20, progress =>
        {
            for (var step = 1; step <= 20; step++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                progress.Report(step);
            }

            return 42;
        });

        result.ShouldBe(42);
        var lines = Lines(output);
        lines.ShouldBe([
            "simulate: 25 % (elapsed 5.0 s, ETA 15.0 s)",
            "simulate: 50 % (elapsed 10.0 s, ETA 10.0 s)",
            "simulate: 75 % (elapsed 15.0 s, ETA 5.0 s)",
            "simulate: 100 % (elapsed 20.0 s, ETA 0.0 s)",
            "simulate: done in 20.0 s",
        ]);
    }

    [Fact]
    public void Track_RedirectedAndQuick_LogsOnlyTheEnd()
    {
        var (console, output) = Console(interactive: false);
        var reporter = new ConsoleReporter(console, interactive: false, new ManualClock());

        reporter.Track("evaluate initial", 3, progress =>
        {
            progress.Report(1);
            progress.Report(3);
            return 0;
        });

        Lines(output).ShouldBe(["evaluate initial: done in 0.0 s"]);
    }

    [Fact]
    public void Track_Interactive_DrawsAProgressBarThenTheEndLine()
    {
        var (console, output) = Console(interactive: true);
        var reporter = new ConsoleReporter(console, interactive: true, new ManualClock());

        reporter.Track("train [model]", 4, progress =>
        {
            progress.Report(2);
            progress.Report(4);
            return 0;
        });

        var text = output.ToString();
        text.ShouldContain("train [model]", customMessage: "the description is escaped, not read as markup");
        text.ShouldContain("100%");
        text.ShouldContain("━", customMessage: "a bar is drawn");
        text.ShouldContain("train [model]: done in 0.0 s");
    }

    [Fact]
    public void Info_Message_IsOneTimestampedLine()
    {
        var (console, output) = Console(interactive: false);

        new ConsoleReporter(console, interactive: false, new ManualClock()).Info("loaded [x].safetensors");

        output.ToString().ShouldMatch(@"^\d\d:\d\d:\d\d loaded \[x\]\.safetensors\r?\n$");
    }

    private static (IAnsiConsole Console, StringWriter Output) Console(bool interactive)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 160;
        return (console, output);
    }

    /// <summary>Output lines without their HH:mm:ss prefix.</summary>
    private static List<string> Lines(StringWriter output) =>
        [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Regex.Replace(l.TrimEnd('\r'), @"^\d\d:\d\d:\d\d ", ""))];

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
