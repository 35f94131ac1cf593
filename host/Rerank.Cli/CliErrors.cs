using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// Turns failures into one clear line each on stderr, never a stack trace (unless RERANK_DEBUG=1):
/// bad input (config, components, files) exits 2, cancellation 130, a run that failed (a pipeline of
/// <c>rerank run</c> threw; its results are still written) and anything unexpected 1.
/// </summary>
internal static class CliErrors
{
    public const int BadInput = 2;

    /// <summary>The run itself failed (input was fine): e.g. a pipeline threw at run time.</summary>
    public const int RunFailed = 1;

    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors)
            {
                Error(error.ToString());
            }

            return BadInput;
        }
        catch (Exception e) when (e is ComponentException or PipelineException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            Error(Flatten(e));
            Debug(e);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Error("cancelled");
            return 130;
        }
        catch (ExperimentFailedException e)
        {
            Error(Flatten(e));
            Debug(e);
            return RunFailed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error(Flatten(e));
            Debug(e);
            return BadInput;
        }
        catch (Exception e)
        {
            Error($"unexpected {e.GetType().Name}: {Flatten(e)} (set RERANK_DEBUG=1 for the stack trace)");
            Debug(e);
            return 1;
        }
    }

    /// <summary>Writes <c>error: message</c> to stderr as one line (red on a terminal; never wrapped when redirected).</summary>
    public static void Error(string message)
    {
        if (Console.IsErrorRedirected)
        {
            Console.Error.WriteLine($"error: {message}");
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
    }

    private static string Flatten(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null && e is PipelineException; inner = inner.InnerException)
        {
            if (inner is ComponentException)
            {
                return $"{message} ({inner.Message})".Replace("\n", " ", StringComparison.Ordinal);
            }
        }

        return message.Replace("\n", " ", StringComparison.Ordinal);
    }

    private static void Debug(Exception e)
    {
        if (Environment.GetEnvironmentVariable("RERANK_DEBUG") == "1")
        {
            Console.Error.WriteLine(e);
        }
    }
}
