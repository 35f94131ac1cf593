using System.CommandLine;

namespace Rerank.Cli;

/// <summary>
/// <c>rerank probe URL</c>: one HTTP GET, exit 0 on a 2xx answer and 1 otherwise (a non-2xx status, no answer within
/// the timeout, no connection). The container image's <c>HEALTHCHECK</c> (deploy/Dockerfile), so the image needs no curl
/// or shell.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The URL to GET, e.g. http://127.0.0.1:8080/v2/health/ready." };
        var timeout = new Option<int>("--timeout-ms")
        {
            Description = "How long to wait for the answer.",
            DefaultValueFactory = _ => 2000,
        }.InRange(new(1, 600_000));
        var command = new Command("probe", "GET a URL and exit 0 on a 2xx answer, 1 otherwise (the container HEALTHCHECK).");
        command.Arguments.Add(url);
        command.Options.Add(timeout);
        command.SetAction(parse => CliErrors.Guard(() => Probe(parse.GetValue(url)!, TimeSpan.FromMilliseconds(parse.GetValue(timeout)))));
        return command;
    }

    private static int Probe(string text, TimeSpan timeout)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            CliErrors.Error($"probe: '{text}' is not an http(s) URL");
            return CliErrors.BadInput;
        }

        using var client = new HttpClient { Timeout = timeout };
        try
        {
            using var response = client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            var code = (int)response.StatusCode;
            Console.WriteLine($"{url}: {code} {response.ReasonPhrase}");
            return code is >= 200 and < 300 ? 0 : CliErrors.RunFailed;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.WriteLine($"{url}: no answer ({(e is TaskCanceledException ? $"timed out after {timeout.TotalMilliseconds:0} ms" : e.Message)})");
            return CliErrors.RunFailed;
        }
    }
}
