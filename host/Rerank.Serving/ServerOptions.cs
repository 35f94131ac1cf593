using Rerank.Runtime.Plugins;

namespace Rerank.Serving;

/// <summary>How <c>rerank serve</c> starts: folders, addresses, overrides, reload watching and the admin token.</summary>
public sealed record ServerOptions
{
    /// <summary>The environment variable that holds the admin bearer token (it wins over <c>admin_token</c> in serve.yaml).</summary>
    public const string AdminTokenVariable = "RERANK_ADMIN_TOKEN";

    /// <summary>
    /// The environment variable naming a file that holds the admin token (a mounted secret); read when
    /// <see cref="AdminTokenVariable"/> is unset. A missing or empty file leaves the admin endpoints off.
    /// </summary>
    public const string AdminTokenFileVariable = "RERANK_ADMIN_TOKEN_FILE";

    /// <summary>Loopback by default.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>The plugins folder; null when <see cref="Catalog"/> supplies plugins in-process.</summary>
    public string? PluginsFolder { get; init; }

    /// <summary>The pipelines folder: one pipeline per <c>*.yaml</c>, plus optional serve.yaml and splits.yaml.</summary>
    public required string PipelinesFolder { get; init; }

    /// <summary>The addresses to listen on.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>Command-line overrides applied over serve.yaml on every load.</summary>
    public ServeOverrides Overrides { get; init; } = new();

    /// <summary>Reload when files under the plugins or pipelines folder change.</summary>
    public bool Watch { get; init; } = true;

    /// <summary>How long file changes must settle before a reload.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Every pipeline must load, at startup and on every reload (otherwise those that fail are served as not ready).</summary>
    public bool Strict { get; init; }

    /// <summary>The admin token; null reads <see cref="AdminTokenVariable"/>, then the file <see cref="AdminTokenFileVariable"/> names, then serve.yaml.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Builds a fresh catalog for each graph (default: load <see cref="PluginsFolder"/> into new load contexts).</summary>
    public Func<PluginCatalog>? Catalog { get; init; }
}
