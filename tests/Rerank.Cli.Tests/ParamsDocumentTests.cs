using Rerank.Cli;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Cli.Tests;

/// <summary><c>docs/params.md</c> is what <c>rerank plugins params</c> writes for the shipped plugins: it cannot drift.</summary>
public sealed class ParamsDocumentTests
{
    [Fact]
    public void Markdown_ShippedPlugins_EqualsTheCommittedDocsParams()
    {
        using var catalog = new PluginLoader().LoadFolder(Path.Combine(RepoPaths.Root, "artifacts", "plugins"));
        var expected = ParamsDocument.Markdown(catalog.Plugins, hostSettings: true);

        var committed = File.ReadAllText(Path.Combine(RepoPaths.Root, ParamsDocument.RelativePath)).ReplaceLineEndings("\n");

        committed.ShouldBe(expected, $"{ParamsDocument.RelativePath} is out of date; regenerate it from the repository root with: {ParamsDocument.Regenerate}");
    }

    [Fact]
    public void Markdown_OnePlugin_WritesATablePerComponentWithoutHostSettings()
    {
        using var catalog = PluginCatalog.FromPlugins(new FakePlugin());

        var markdown = ParamsDocument.Markdown(catalog.Plugins, hostSettings: false);

        markdown.ShouldContain("""

            ## fake 1.2.3

            ### generator `order`

            Candidates in index order, or reversed.

            | key | type | default | range |
            | --- | --- | --- | --- |
            | `reverse` | bool | `false` |  |
            | `offset` | int | `0` |  |

            """.ReplaceLineEndings("\n"));
        markdown.ShouldNotContain("## Host settings");
        markdown.ShouldNotContain(ParamsDocument.Regenerate, Case.Sensitive, "only the whole document is docs/params.md");
    }

    [Fact]
    public void Markdown_HostSettings_ListTheStageSizesWithTheirRanges()
    {
        var markdown = ParamsDocument.Markdown([], hostSettings: true);

        markdown.ShouldContain("| `generate.count` | int | `1` | [1, 1024] |");
        markdown.ShouldContain("| `truncate.size` | int | unset | [1, 10000] |");
        markdown.ShouldContain("### `dataset: {type: simulator, params: …}`");
        markdown.ShouldContain("| `candidates` | int | `20` | [1, 10000] |");
        markdown.ShouldContain(ParamsDocument.Regenerate);
    }
}
