using System.CommandLine;
using Rerank.Runtime.Configuration;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>The <c>rerank</c> command line: run, simulate, validate, plugins list, bench, gpu, export, report.</summary>
internal static class CliApp
{
    public static int Run(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Logs and CI: no terminal width to respect, and wrapped table cells are unreadable.
            AnsiConsole.Profile.Width = 240;
        }

        var root = new RootCommand("Rerank: train, compare and serve list-wise reranking algorithms.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(PluginsCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(MineCommand.Create());
        root.Subcommands.Add(GpuCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ExportLogsCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                CliErrors.Error(error.Message);
            }

            Console.Error.WriteLine("Run 'rerank --help' for usage.");
            return CliErrors.BadInput;
        }

        return parsed.Invoke();
    }

    /// <summary>The shared, repeatable <c>--allow-path DIR</c> option: a folder YAML may name files in besides its own and the working directory.</summary>
    public static Option<string[]> AllowPathOption() => new("--allow-path")
    {
        Description = "A folder YAML files may name checkpoints, datasets and includes in, besides their own folder and the working directory (repeatable; '/' allows any path).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    /// <summary>The path policy of the working directory and every <c>--allow-path</c> given.</summary>
    public static PathPolicy Paths(ParseResult parse, Option<string[]> allowPath) => new(parse.GetValue(allowPath) ?? []);

    /// <summary>The shared <c>--plugins</c> option: a plugins folder (default: RERANK_PLUGINS, else artifacts/plugins found upward).</summary>
    public static Option<DirectoryInfo?> PluginsOption() => new("--plugins")
    {
        Description = "Plugins folder (<id>/<version>/ layout). Default: $RERANK_PLUGINS, else the nearest artifacts/plugins.",
    };
}
