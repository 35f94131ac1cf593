namespace Rerank.Cli.Tests.Deploy;

/// <summary>
/// The Debian tools the deploy tests drive: nginx (<c>scripts/cluster-local.sh</c>) and kubectl (kustomize). Absent on a
/// developer machine, those tests skip with the reason; with <c>CI=true</c> they run anyway and fail saying how to install
/// them (<c>.ci/run</c> installs both).
/// </summary>
internal static class DeployTools
{
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="tool"/> on PATH or in /usr/sbin, or null.</summary>
    public static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin")
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    public static string SkipReason(string tool) => $"{tool} is not installed: apt-get install {tool} (.ci/run does); CI=true makes this a failure";
}

/// <summary>A fact that needs a Debian tool: skipped with the reason when it is absent, unless CI requires it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        if (DeployTools.Find(tool) is null && !DeployTools.Required)
        {
            Skip = DeployTools.SkipReason(tool);
        }
    }
}
