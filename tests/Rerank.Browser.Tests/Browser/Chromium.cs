namespace Rerank.Browser.Tests.Browser;

/// <summary>
/// Where the browser is: Debian's <c>chromium</c> package (never a Playwright download). Absent on a developer machine,
/// the browser tests skip; with <c>CI=true</c> they run anyway and fail with a line saying how to install it.
/// </summary>
internal static class Chromium
{
    /// <summary><c>RERANK_CHROMIUM</c> when set, else <c>/usr/bin/chromium</c>.</summary>
    public static string Path { get; } = Environment.GetEnvironmentVariable("RERANK_CHROMIUM") is { Length: > 0 } custom ? custom : "/usr/bin/chromium";

    public static bool Available => File.Exists(Path);

    /// <summary>CI must run the browser tests: <c>CI=true</c> turns a missing browser from a skip into a failure.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string SkipReason => $"no browser at {Path}: install Debian's chromium (apt-get install chromium) or set RERANK_CHROMIUM; CI=true makes this a failure";

    public static string MissingInCi => $"CI=true but no browser at {Path}: .ci/run installs it with 'apt-get install -y --no-install-recommends chromium'";
}

/// <summary>A fact that needs the browser: skipped with the reason when it is absent, unless CI requires it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Chromium.Available && !Chromium.Required)
        {
            Skip = Chromium.SkipReason;
        }
    }
}
