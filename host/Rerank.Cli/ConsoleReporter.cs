using System.Globalization;
using Rerank.Evaluation.Experiments;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// Progress on the terminal: Spectre.Console bars with an ETA when the console is interactive; otherwise (redirected
/// output, CI) plain timestamped lines at most every few seconds, plus one line when each task ends.
/// </summary>
internal sealed class ConsoleReporter : IRunReporter
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(5);
    private readonly IAnsiConsole _console;
    private readonly bool _interactive;
    private readonly TimeProvider _time;

    /// <param name="console">Where to write.</param>
    /// <param name="interactive">Progress bars (true) or periodic lines (false); default: bars on an interactive, non-redirected console.</param>
    /// <param name="time">The clock for elapsed time, ETA and the log period (tests pass a manual one).</param>
    public ConsoleReporter(IAnsiConsole console, bool? interactive = null, TimeProvider? time = null)
    {
        _console = console;
        _interactive = interactive ?? (console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected);
        _time = time ?? TimeProvider.System;
    }

    public T Track<T>(string description, double total, Func<IProgress<double>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var start = _time.GetTimestamp();
        T result;
        if (_interactive)
        {
            result = _console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(description), maxValue: Math.Max(total, 1e-9));
                    var value = work(new Sink(v => task.Value = Math.Min(v, task.MaxValue)));
                    task.Value = task.MaxValue;
                    return value;
                });
        }
        else
        {
            var last = TimeSpan.Zero;
            result = work(new Sink(v =>
            {
                var now = _time.GetElapsedTime(start);
                if (now - last < LogEvery || total <= 0)
                {
                    return;
                }

                last = now;
                var fraction = Math.Clamp(v / total, 0, 1);
                var eta = fraction > 0 ? TimeSpan.FromSeconds(now.TotalSeconds * (1 - fraction) / fraction) : TimeSpan.Zero;
                Line($"{description}: {fraction:P0} (elapsed {Seconds(now)}, ETA {Seconds(eta)})");
            }));
        }

        Line($"{description}: done in {Seconds(_time.GetElapsedTime(start))}");
        return result;
    }

    public void Info(string message) => Line(message);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private void Line(string message) =>
        _console.MarkupLine($"[grey]{_time.GetLocalNow():HH:mm:ss}[/] {Markup.Escape(message)}");

    /// <summary>A synchronous progress sink (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
    private sealed class Sink(Action<double> report) : IProgress<double>
    {
        private readonly Lock _gate = new();

        public void Report(double value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
