using System.Net;
using System.Net.Sockets;

namespace Rerank.Cli.Tests;

/// <summary><c>rerank probe URL</c>, the image's HEALTHCHECK: 0 on a 2xx answer, 1 without one, 2 for a URL that is none.</summary>
public sealed class ProbeCommandTests
{
    [Fact]
    public void Probe_NothingListening_ExitsOneSayingSo()
    {
        var port = ClosedPort();

        var result = RerankProcess.Run(Path.GetTempPath(), "probe", $"http://127.0.0.1:{port}/v2/health/ready", "--timeout-ms", "2000");

        result.ExitCode.ShouldBe(1);
        result.Stdout.ShouldContain($"http://127.0.0.1:{port}/v2/health/ready: no answer");
    }

    [Fact]
    public void Probe_NotAUrl_ExitsTwo()
    {
        var result = RerankProcess.Run(Path.GetTempPath(), "probe", "ready");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("probe: 'ready' is not an http(s) URL");
    }

    [Fact]
    public async Task Probe_ServerAnswers_ExitsZeroOnTwoHundredAndOneOtherwise()
    {
        using var listener = new HttpListener();
        var port = ClosedPort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/ok" ? 200 : 503;
                context.Response.Close();
            }
        });

        RerankProcess.Run(Path.GetTempPath(), "probe", $"http://127.0.0.1:{port}/ok").ExitCode.ShouldBe(0);
        var down = RerankProcess.Run(Path.GetTempPath(), "probe", $"http://127.0.0.1:{port}/not-ready");
        down.ExitCode.ShouldBe(1);
        down.Stdout.ShouldContain("503");
        await serve;
    }

    private static int ClosedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
