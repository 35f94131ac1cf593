using System.CommandLine;
using Rerank.Cli.Reports;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank report RESULTS --markdown [--differences REF] [--columns a,b]</c>: prints a results table (or the difference
/// table to one <c>compare_to</c> reference) from a results.json (or its folder);
/// <c>rerank report --update-docs FILE…</c>: regenerates the marked tables of Markdown pages (<see cref="DocTables"/>).
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var results = new Argument<string?>("results") { Description = "A results.json, or the --out folder of a run that holds one.", Arity = ArgumentArity.ZeroOrOne };
        var markdown = new Option<bool>("--markdown") { Description = "Print the table as Markdown (the only format for now, and the default)." };
        var columns = new Option<string?>("--columns") { Description = "Comma-separated columns: 'pipeline' and metric names, in order. Default: pipeline and every metric." };
        var differences = new Option<string?>("--differences") { Description = "Instead of the results: the difference table to this compare_to reference (mean [low, high], n.s. when the interval includes 0)." };
        var updateDocs = new Option<FileInfo[]>("--update-docs")
        {
            Description = "Instead: rewrite the tables between '<!-- results: PATH [differences: REF] [columns: a,b] -->' and '<!-- /results -->' in these Markdown files from the results files they name (paths relative to the working directory).",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("report", "Print a run's results table as Markdown, or regenerate the results tables marked in docs pages.");
        command.Arguments.Add(results);
        command.Options.Add(markdown);
        command.Options.Add(columns);
        command.Options.Add(differences);
        command.Options.Add(updateDocs);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var docs = parse.GetValue(updateDocs);
            var path = parse.GetValue(results);
            var reference = parse.GetValue(differences);
            if (docs is { Length: > 0 })
            {
                if (reference is not null)
                {
                    return Usage("--differences prints one table; in docs pages write 'differences: REF' in the marker instead");
                }

                return path is null ? UpdateDocs(docs.Select(f => f.FullName), Environment.CurrentDirectory, Console.Out) : Usage("give either RESULTS or --update-docs, not both");
            }

            if (path is null)
            {
                return Usage("give a results.json (or its folder), or --update-docs FILE…");
            }

            var selected = parse.GetValue(columns)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            Console.Out.Write(reference is null ? ResultsTable.Markdown(path, selected) : ResultsTable.DifferenceMarkdown(path, reference, selected));
            return 0;
        }));
        return command;
    }

    /// <summary>Rewrites the marked tables of <paramref name="files"/>; 0 when every block was regenerated, else <see cref="CliErrors.BadInput"/>.</summary>
    public static int UpdateDocs(IEnumerable<string> files, string baseDirectory, TextWriter log)
    {
        var errors = DocTables.Update(files, baseDirectory, log);
        foreach (var error in errors)
        {
            CliErrors.Error(error);
        }

        return errors.Count == 0 ? 0 : CliErrors.BadInput;
    }

    private static int Usage(string message)
    {
        CliErrors.Error(message);
        return CliErrors.BadInput;
    }
}
