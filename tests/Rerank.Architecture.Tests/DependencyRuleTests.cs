using System.Xml.Linq;
using Rerank.Testing;

namespace Rerank.Architecture.Tests;

/// <summary>
/// The project graph reads like the architecture diagram (docs/architecture.md): plugins reference only the contracts, the
/// engine and the common plugin library; the host's projects reference only the layers below them; nothing references the
/// CLI; Serving is the only ASP.NET Core project; the conformance suite needs nothing but the runtime; there are no cycles.
/// </summary>
public sealed class DependencyRuleTests
{
    private const string Abstractions = "Rerank.Abstractions";
    private const string Engine = "Rerank.Engine";
    private const string Runtime = "Rerank.Runtime";
    private const string Simulation = "Rerank.Simulation";
    private const string Evaluation = "Rerank.Evaluation";
    private const string Serving = "Rerank.Serving";
    private const string Benchmarks = "Rerank.Benchmarks";
    private const string Cli = "Rerank.Cli";

    /// <summary>What each project under host/ and benchmarks/ may compile against: the arrows of the diagram, nothing else.</summary>
    private static readonly Dictionary<string, string[]> Layers = new(StringComparer.Ordinal)
    {
        [Runtime] = [Abstractions, Engine],
        [Simulation] = [Abstractions, Runtime],
        [Evaluation] = [Abstractions, Runtime, Simulation],
        [Serving] = [Abstractions, Runtime],
        [Benchmarks] = [Abstractions, Engine, Runtime, Simulation, Evaluation, Serving],
        [Cli] = [Abstractions, Engine, Runtime, Simulation, Evaluation, Serving, Benchmarks],
        ["Rerank.Engine.Benchmarks"] = [Engine, Benchmarks],
    };

    [Fact]
    public void Plugins_ReferenceOnlyAbstractionsEngineAndCommon()
    {
        var plugins = ProjectGraph.Under("plugins").ToList();
        plugins.ShouldNotBeEmpty();
        foreach (var plugin in plugins)
        {
            plugin.References.Concat(plugin.BuildOrder).Where(r => r is not (Abstractions or Engine or "Rerank.Plugins.Common"))
                .ShouldBeEmpty($"{plugin.Path} may reference only {Abstractions}, {Engine} and Rerank.Plugins.Common");
        }
    }

    [Fact]
    public void NoProject_ReferencesTheCli()
    {
        ProjectGraph.All.Keys.ShouldContain(Cli);
        foreach (var project in ProjectGraph.All.Values.Where(p => p.Name != Cli + ".Tests"))
        {
            project.References.Concat(project.BuildOrder).ShouldNotContain(Cli, $"{project.Path} must not reference the CLI (only its own tests run it)");
        }
    }

    [Fact]
    public void Abstractions_ReferenceNothingOfOurs()
    {
        foreach (var project in ProjectGraph.Under("abstractions"))
        {
            project.References.ShouldBeEmpty();
            XDocument.Load(Path.Combine(RepoPaths.Root, project.Path)).Descendants("PackageReference").ShouldBeEmpty();
        }
    }

    [Fact]
    public void Engine_ReferencesNoProjectOfOurs()
    {
        foreach (var project in ProjectGraph.Under("engine"))
        {
            project.References.ShouldBeEmpty();
        }
    }

    [Fact]
    public void ProjectGraph_HasNoCycles()
    {
        var cycle = ProjectGraph.FindCycle();

        cycle.ShouldBeNull(cycle is null ? null : "projects reference each other in a cycle: " + string.Join(" → ", cycle));
    }

    [Fact]
    public void HostAndBenchmarks_ReferenceOnlyTheLayersBelow()
    {
        var projects = ProjectGraph.Under("host").Concat(ProjectGraph.Under("benchmarks")).ToList();
        projects.Select(p => p.Name).Order(StringComparer.Ordinal).ShouldBe(Layers.Keys.Order(StringComparer.Ordinal), "every project of host/ and benchmarks/ has its place in the diagram");
        foreach (var project in projects)
        {
            project.References.Where(r => !Layers[project.Name].Contains(r))
                .ShouldBeEmpty($"{project.Path} may reference only {string.Join(", ", Layers[project.Name])}");
            project.BuildOrder.Where(r => !(project.Name == Cli && ProjectGraph.All.TryGetValue(r, out var p) && p.Path.StartsWith("plugins/", StringComparison.Ordinal)))
                .ShouldBeEmpty($"{project.Path}: only the CLI builds the shipped plugins first");
        }
    }

    [Fact]
    public void OnlyServing_ReferencesAspNetCore()
    {
        var users = ProjectGraph.All.Values.Where(p => p.AspNetCore).Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

        // Serving's tests add the in-memory test server (Microsoft.AspNetCore.TestHost) to test it.
        users.ShouldBe([Serving, Serving + ".Tests"]);
    }

    [Fact]
    public void Conformance_ReferencesOnlyTheRuntime()
    {
        var conformance = ProjectGraph.All["Rerank.Conformance"];
        conformance.References.ShouldContain(Runtime);
        conformance.References.Where(r => r is not (Runtime or Abstractions or Engine))
            .ShouldBeEmpty($"{conformance.Path} builds components the way the runtime does and needs nothing else");
        var closure = ProjectGraph.Closure(conformance.Name);
        closure.Where(p => ProjectGraph.All[p].Path.StartsWith("host/", StringComparison.Ordinal) && p != Runtime)
            .ShouldBeEmpty("a plugin's tests pull in neither serving, evaluation, simulation nor the CLI");
        closure.Where(p => ProjectGraph.All[p].AspNetCore).ShouldBeEmpty("a plugin's tests do not pull in ASP.NET Core");
    }
}
