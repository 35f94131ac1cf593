using System.CommandLine;
using Rerank.Abstractions;
using Rerank.Runtime.IO;
using Rerank.Runtime.Plugins;
using Spectre.Console;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank plugins list</c>: every plugin folder with its version, components, folder and load status or error.
/// <c>rerank plugins params [PLUGIN]</c>: every component's params (key, type, default, range) as markdown, the source of <c>docs/params.md</c>.
/// <c>rerank plugins check</c> and <c>rerank plugins install</c>: see <see cref="PluginCheckCommand"/>.
/// </summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var plugins = CliApp.PluginsOption();
        var list = new Command("list", "List the plugins in the plugins folder: id, version, components, folder, load status or error.");
        list.Options.Add(plugins);
        list.SetAction(parse => CliErrors.Guard(() => List(parse.GetValue(plugins)?.FullName, AnsiConsole.Console)));
        var command = new Command("plugins", "Inspect, check and install plugins.");
        command.Subcommands.Add(list);
        command.Subcommands.Add(CreateParams());
        command.Subcommands.Add(PluginCheckCommand.CreateCheck());
        command.Subcommands.Add(PluginCheckCommand.CreateInstall());
        return command;
    }

    private static Command CreateParams()
    {
        var plugins = CliApp.PluginsOption();
        var plugin = new Argument<string?>("plugin") { Description = "Only this plugin's components (default: every plugin, and the host's own settings).", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<FileInfo?>("--out") { Description = $"Write the markdown to this file instead of the console ({ParamsDocument.RelativePath} is generated this way)." };
        var command = new Command("params", "Print every component's params as markdown tables: key, type, default and range.");
        command.Arguments.Add(plugin);
        command.Options.Add(plugins);
        command.Options.Add(output);
        command.SetAction(parse => CliErrors.Guard(() => Params(parse.GetValue(plugins)?.FullName, parse.GetValue(plugin), parse.GetValue(output)?.FullName, Console.Out)));
        return command;
    }

    /// <summary>Prints the table; exits 0 even when some plugins failed (their errors are listed), 2 when the folder is missing.</summary>
    public static int List(string? folder, IAnsiConsole console)
    {
        var root = PluginPaths.Resolve(folder);
        using var catalog = new PluginLoader().LoadFolder(root);
        console.MarkupLine($"Plugins folder: [bold]{Markup.Escape(root)}[/]");
        var table = new Table().AddColumns("id", "version", "status", "components", "folder");
        foreach (var plugin in catalog.Plugins)
        {
            var loaded = plugin.Status == PluginLoadStatus.Loaded;
            table.AddRow(
                Markup.Escape(plugin.Id),
                Markup.Escape(plugin.Version?.ToNormalizedString() ?? "?"),
                loaded ? "[green]loaded[/]" : "[red]failed[/]",
                loaded ? Markup.Escape(Describe(plugin.Components)) : "[red]" + Markup.Escape(plugin.Error ?? "") + "[/]",
                Markup.Escape(Path.GetRelativePath(root, plugin.Folder)));
        }

        console.Write(table);
        if (catalog.Plugins.Count == 0)
        {
            console.MarkupLine("[yellow]No plugins found.[/] Build them (dotnet build Framework.sln) or pass --plugins.");
        }

        return 0;
    }

    /// <summary>
    /// Writes the params document of every plugin and the host's settings, or of <paramref name="pluginId"/> only, to
    /// <paramref name="outFile"/> or <paramref name="console"/>; exits 2 when no loaded plugin has that id.
    /// </summary>
    public static int Params(string? folder, string? pluginId, string? outFile, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = PluginPaths.Resolve(folder);
        using var catalog = new PluginLoader().LoadFolder(root);
        var selected = catalog.Plugins.Where(p => pluginId is null || string.Equals(p.Id, pluginId, StringComparison.OrdinalIgnoreCase)).ToList();
        if (pluginId is not null && selected.Count == 0)
        {
            CliErrors.Error($"unknown plugin '{pluginId}'; plugins in {root}: {string.Join(", ", catalog.Plugins.Select(p => p.Id).Distinct())}");
            return CliErrors.BadInput;
        }

        var markdown = ParamsDocument.Markdown(selected, hostSettings: pluginId is null);
        if (outFile is null)
        {
            console.Write(markdown);
        }
        else
        {
            AtomicFile.WriteAllText(outFile, markdown);
        }

        return 0;
    }

    /// <summary>One line per kind: <c>generator: initial, random; decoder: beam, greedy</c>.</summary>
    public static string Describe(IReadOnlyList<ComponentRegistration> components) =>
        string.Join("; ", components
            .GroupBy(c => c.Kind)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key.Word()}: {string.Join(", ", g.Select(c => c.Name).Order(StringComparer.Ordinal))}"));
}
