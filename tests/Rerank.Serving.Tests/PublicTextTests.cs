using Rerank.Serving;

namespace Rerank.Serving.Tests;

public sealed class PublicTextTests
{
    [Theory]
    [InlineData("/srv/app/pipelines/sortgen.yaml:9:12: bad", "sortgen.yaml:9:12: bad")]
    [InlineData("checkpoint '/etc/secrets/model.bin' could not be loaded", "checkpoint '…/model.bin' could not be loaded")]
    [InlineData("checkpoint '../out/sortgen-checkpoints/sort-ordered.safetensors' does not exist", "checkpoint '…/sort-ordered.safetensors' does not exist")]
    [InlineData("Pipelines folder '/srv/other' does not exist.", "Pipelines folder '…/other' does not exist.")]
    [InlineData("nar4rec w/o unlikelihood at 5 req/s", "nar4rec w/o unlikelihood at 5 req/s")]
    [InlineData("run 'rerank run experiments/sortgen.yaml' first", "run 'rerank run experiments/sortgen.yaml' first")]
    public void Redact_PathsOutsideThePipelinesFolder_KeepOnlyTheirFileName(string text, string expected)
    {
        PublicText.Redact(text, "/srv/app/pipelines").ShouldBe(expected);
    }
}
