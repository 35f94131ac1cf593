using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rerank.Evaluation.PluginChecks;
using Rerank.Runtime.Plugins;
using Rerank.Runtime.Plugins.Inspection;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank plugins check PATH [--json]</c>: loads one plugin (a folder or a .nupkg) on its own and reports its identity,
/// versions, components and params, and one line per check; exits 0 without errors, 1 with any, 2 for bad input.
/// <c>rerank plugins install PKG|DIR [--plugins FOLDER] [--force]</c>: checks it and lays it out as <c>&lt;id&gt;/&lt;version&gt;/</c>.
/// </summary>
internal static class PluginCheckCommand
{
    public static Command CreateCheck()
    {
        var path = new Argument<string>("path") { Description = "A laid-out plugin folder (<id>/<version>/), a build output with plugin.yaml, or a .nupkg." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("check", "Load one plugin on its own and check it: versions, dependencies, components, params and a quick run of each component.");
        command.Arguments.Add(path);
        command.Options.Add(json);
        command.SetAction(parse => CliErrors.Guard(() => Check(parse.GetValue(path)!, parse.GetValue(json), Console.Out)));
        return command;
    }

    public static Command CreateInstall()
    {
        var path = new Argument<string>("package") { Description = "A plugin .nupkg, or a folder with plugin.yaml (a build output or a laid-out plugin)." };
        var plugins = CliApp.PluginsOption();
        var force = new Option<bool>("--force") { Description = "Replace an installed plugin of the same id and version." };
        var command = new Command("install", "Check a plugin and lay it out in the plugins folder as <id>/<version>/ (a running server reloads it).");
        command.Arguments.Add(path);
        command.Options.Add(plugins);
        command.Options.Add(force);
        command.SetAction(parse => CliErrors.Guard(() => Install(parse.GetValue(path)!, parse.GetValue(plugins)?.FullName, parse.GetValue(force), Console.Out)));
        return command;
    }

    /// <summary>The JSON context, with quotes and non-ASCII text left readable (the report is printed, never embedded in HTML).</summary>
    private static PluginCheckJsonContext Json { get; } = new(new JsonSerializerOptions(PluginCheckJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Checks the plugin at <paramref name="path"/> and writes the report; 0 when no check failed, else 1.</summary>
    public static int Check(string path, bool json, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var source = PluginSource.Open(path);
        using var inspection = PluginInspector.Inspect(source);
        inspection.Add(ComponentSmokeRun.Run(inspection));
        var report = inspection.Report;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, Json.PluginReport));
        }
        else
        {
            Write(report, output);
        }

        return report.Failed ? CliErrors.RunFailed : 0;
    }

    /// <summary>Installs the plugin at <paramref name="path"/> into the plugins folder and says where.</summary>
    public static int Install(string path, string? pluginsFolder, bool force, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var root = string.IsNullOrWhiteSpace(pluginsFolder) ? PluginPaths.Resolve(null) : Path.GetFullPath(pluginsFolder);
        var result = PluginInstaller.Install(path, root, force);
        output.WriteLine($"Installed {result.Id} {result.Version} in {result.Folder}{(result.Replaced ? " (replaced the copy that was there)" : "")}.");
        output.WriteLine("A server watching this plugins folder reloads it; otherwise POST /admin/reload.");
        return 0;
    }

    private static void Write(PluginReport report, TextWriter output)
    {
        output.WriteLine($"Plugin {report.Id} {report.Version ?? "(unknown version)"} from {report.Source}");
        output.WriteLine($"  Rerank.Abstractions: manifest accepts {report.AbstractionsRange ?? "?"}, compiled against {report.CompiledAgainst ?? "?"}, host has {report.HostAbstractions}: {(report.Fits ? "fits" : "does not fit")}");
        foreach (var component in report.Components)
        {
            output.WriteLine();
            output.WriteLine($"  {component.Kind} {component.Name}: {component.Description}");
            if (component.Params.Count == 0)
            {
                output.WriteLine("    no params");
                continue;
            }

            var keyWidth = Math.Max(3, component.Params.Max(p => p.Key.Length));
            var typeWidth = Math.Max(4, component.Params.Max(p => p.Type.Length));
            var defaultWidth = Math.Max(7, component.Params.Max(p => p.Default.Length));
            output.WriteLine($"    {"key".PadRight(keyWidth)}  {"type".PadRight(typeWidth)}  {"default".PadRight(defaultWidth)}  range");
            foreach (var row in component.Params)
            {
                output.WriteLine($"    {row.Key.PadRight(keyWidth)}  {row.Type.PadRight(typeWidth)}  {row.Default.PadRight(defaultWidth)}  {row.Range}".TrimEnd());
            }
        }

        output.WriteLine();
        foreach (var line in report.Checks)
        {
            output.WriteLine($"  {Word(line.Level),-7}  {line.Check}: {line.Message}");
        }

        var errors = report.Checks.Count(c => c.Level == CheckLevel.Error);
        var warnings = report.Checks.Count(c => c.Level == CheckLevel.Warning);
        output.WriteLine();
        output.WriteLine($"{report.Checks.Count} checks: {errors} error(s), {warnings} warning(s).");
    }

    private static string Word(CheckLevel level) => level switch
    {
        CheckLevel.Ok => "ok",
        CheckLevel.Warning => "warning",
        _ => "error",
    };
}
