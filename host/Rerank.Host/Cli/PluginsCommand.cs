using System.CommandLine;
using Rerank.Abstractions;
using Rerank.Host.Plugins;
using Spectre.Console;

namespace Rerank.Host.Cli;

/// <summary><c>rerank plugins list</c>: every plugin folder with its version, components, folder and load status or error.</summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var plugins = CliApp.PluginsOption();
        var list = new Command("list", "List the plugins in the plugins folder: id, version, components, folder, load status or error.");
        list.Options.Add(plugins);
        list.SetAction(parse => CliErrors.Guard(() => List(parse.GetValue(plugins)?.FullName, AnsiConsole.Console)));
        var command = new Command("plugins", "Inspect plugins.");
        command.Subcommands.Add(list);
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

    /// <summary>One line per kind: <c>generator: initial, random; decoder: beam, greedy</c>.</summary>
    public static string Describe(IReadOnlyList<ComponentRegistration> components) =>
        string.Join("; ", components
            .GroupBy(c => c.Kind)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key.Word()}: {string.Join(", ", g.Select(c => c.Name).Order(StringComparer.Ordinal))}"));
}
