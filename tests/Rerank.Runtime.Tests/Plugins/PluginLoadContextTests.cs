using System.Reflection;
using Rerank.Runtime.Plugins;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Plugins;

public sealed class PluginLoadContextTests
{
    [Theory]
    [InlineData("Rerank.Abstractions", true)]
    [InlineData("Rerank.Engine", true)]
    [InlineData("Microsoft.Extensions.Logging.Abstractions", true)]
    [InlineData("Microsoft.Extensions.DependencyInjection.Abstractions", true)]
    [InlineData("Microsoft.Extensions.Logging", false)]
    [InlineData("YamlDotNet", false)]
    [InlineData("Rerank.Plugins.Baselines", false)]
    [InlineData("rerank.abstractions", false)]
    public void IsShared_AssemblyName_OnlyContractsAndExtensionAbstractions(string name, bool expected)
    {
        PluginLoadContext.IsShared(new AssemblyName(name)).ShouldBe(expected);
    }

    [Fact]
    public void Load_PrivateDependencyListedInDepsJson_ComesFromThePluginFolder()
    {
        var folder = FixturePlugins.Of("privatedep", "1.0.0");
        var context = new PluginLoadContext("probe", Path.Combine(folder, "Fixtures.PrivateDependency.dll"));
        try
        {
            var yaml = context.LoadFromAssemblyName(new AssemblyName("YamlDotNet"));

            yaml.Location.ShouldBe(Path.Combine(folder, "YamlDotNet.dll"));
            yaml.ShouldNotBeSameAs(typeof(YamlDotNet.RepresentationModel.YamlStream).Assembly);
            context.LoadFromAssemblyName(new AssemblyName("Rerank.Abstractions")).ShouldBeSameAs(typeof(Rerank.Abstractions.IRerankPlugin).Assembly);
        }
        finally
        {
            context.Unload();
        }
    }
}
