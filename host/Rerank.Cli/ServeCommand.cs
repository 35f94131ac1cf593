using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Rerank.Runtime.Plugins;
using Rerank.Serving;

namespace Rerank.Cli;

/// <summary><c>rerank serve</c>: serves every pipeline of a folder over HTTP, hot-swapping on file changes and <c>/admin/reload</c>.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var plugins = CliApp.PluginsOption();
        var options = new ServeCliOptions();
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on, separated by ';' (port 0 picks a free port).",
            DefaultValueFactory = _ => ServerOptions.DefaultUrl,
        };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not reload when files under the plugins or pipelines folder change." };
        var debounce = new Option<int>("--debounce-ms")
        {
            Description = "Quiet time after the last file change before reloading.",
            DefaultValueFactory = _ => 500,
        }.InRange(new(0, 60_000));
        var strict = new Option<bool>("--strict") { Description = "Exit (at startup) or refuse a reload when any pipeline fails to load; by default the others serve and failed ones are reported as not ready." };
        var command = new Command("serve", "Serve the pipelines of a folder over HTTP (rerank, KServe v2 health/metadata, Prometheus metrics, admin reload).");
        command.Options.Add(plugins);
        options.AddTo(command);
        command.Options.Add(urls);
        command.Options.Add(noWatch);
        command.Options.Add(debounce);
        command.Options.Add(strict);
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var serverOptions = new ServerOptions
            {
                PluginsFolder = PluginPaths.Resolve(parse.GetValue(plugins)?.FullName),
                PipelinesFolder = options.Pipelines(parse),
                Urls = parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Overrides = options.Overrides(parse),
                Watch = !parse.GetValue(noWatch),
                Debounce = TimeSpan.FromMilliseconds(parse.GetValue(debounce)),
                Strict = parse.GetValue(strict),
            };
            return Run(serverOptions);
        }));
        return command;
    }

    private static int Run(ServerOptions options)
    {
        RerankServer server;
        try
        {
            server = RerankServer.Create(options);
        }
        catch (ServingException e)
        {
            CliErrors.Error(e.Message);
            return CliErrors.BadInput;
        }

        try
        {
            server.StartAsync().GetAwaiter().GetResult();
            Console.WriteLine($"rerank serve: {server.PipelineCount} pipeline(s) from {server.PipelinesFolder}: {string.Join(", ", server.Routes)}");
            foreach (var notReady in server.NotReady)
            {
                Console.WriteLine($"rerank serve: not ready: {notReady.Name} ({notReady.File}): {notReady.Error.ReplaceLineEndings(" | ")}");
            }

            Console.WriteLine($"rerank serve: admin endpoints {(server.AdminEnabled ? "on" : $"off (set {ServerOptions.AdminTokenVariable} to enable)")}");
            foreach (var address in server.Addresses)
            {
                Console.WriteLine($"rerank serve: listening on {address}");
            }

            Console.Out.Flush();
            server.WaitForShutdownAsync().GetAwaiter().GetResult();
            return 0;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
