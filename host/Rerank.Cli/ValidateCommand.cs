using System.CommandLine;
using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Plugins;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary><c>rerank validate FILE…</c>: checks pipeline and experiment files against the loaded plugins and prints every error.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Pipeline or experiment YAML files.", Arity = ArgumentArity.OneOrMore };
        var plugins = CliApp.PluginsOption();
        var allowPath = CliApp.AllowPathOption();
        var command = new Command("validate", "Check pipeline or experiment YAML files: syntax, stage graph, plugin references, versions and params. Prints all errors.");
        command.Arguments.Add(files);
        command.Options.Add(plugins);
        command.Options.Add(allowPath);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            using var catalog = new PluginLoader().LoadFolder(PluginPaths.Resolve(parse.GetValue(plugins)?.FullName));
            return Validate(parse.GetValue(files)!.Select(f => f.FullName), catalog, AnsiConsole.Console, CliApp.Paths(parse, allowPath));
        }));
        return command;
    }

    /// <summary>Validates each file; returns 0 when all are valid, else <see cref="CliErrors.BadInput"/>.</summary>
    public static int Validate(IEnumerable<string> files, PluginCatalog catalog, IAnsiConsole console, PathPolicy? paths = null)
    {
        var failed = 0;
        foreach (var file in files)
        {
            var errors = new List<ConfigError>();
            var summary = ConfigValidator.ValidateFile(file, catalog, errors, paths);
            if (errors.Count == 0)
            {
                console.MarkupLine($"[green]ok[/] {Markup.Escape(summary)}");
                continue;
            }

            failed++;
            foreach (var error in errors)
            {
                CliErrors.Error(error.ToString());
            }

            console.MarkupLine($"[red]{errors.Count} error{(errors.Count == 1 ? "" : "s")}[/] in {Markup.Escape(file)}");
        }

        return failed == 0 ? 0 : CliErrors.BadInput;
    }
}
