using System.Diagnostics;
using System.Net;
using Rerank.Serving;
using Rerank.Testing;
using YamlDotNet.RepresentationModel;

namespace Rerank.Cli.Tests.Deploy;

/// <summary>
/// deploy/k8s rendered by <c>kubectl kustomize</c> (as CI does) and checked object by object: the probes and the scrape
/// path are endpoints the server answers, ports and selectors agree, replicas run non-root on a read-only root, the GPU
/// overlay asks for a GPU, and the offline Jobs agree on the shard count.
/// </summary>
public sealed class KustomizeTests
{
    [ToolFact("kubectl")]
    public async Task CpuOverlay_ProbesAndScrapePathAreServedEndpoints_PortsAndSelectorsAgree()
    {
        var objects = Render("deploy/k8s/overlays/cpu");
        var deployment = Single(objects, "Deployment");
        var pod = deployment.Get("spec", "template");
        var container = (YamlMappingNode)((YamlSequenceNode)pod.Node("spec", "containers")).Children.ShouldHaveSingleItem();
        var args = Strings(container.Node("args"));
        args[0].ShouldBe("serve");
        var url = new Uri(args[args.IndexOf("--urls") + 1]);
        var port = (YamlMappingNode)((YamlSequenceNode)container.Node("ports")).Children.ShouldHaveSingleItem();
        port.Text("name").ShouldBe("http");
        int.Parse(port.Text("containerPort")).ShouldBe(url.Port, "the container port is the one `serve --urls` listens on");
        url.Host.ShouldBe("0.0.0.0", "a pod must listen beyond loopback");

        var paths = new[] { "startupProbe", "readinessProbe", "livenessProbe" }.ToDictionary(p => p, p => container.Get(p, "httpGet"));
        paths["readinessProbe"].Text("path").ShouldBe("/v2/health/ready");
        paths["livenessProbe"].Text("path").ShouldBe("/v2/health/live");
        paths.Values.ShouldAllBe(g => g.Text("port") == "http");
        var annotations = pod.Get("metadata", "annotations");
        annotations.Text("prometheus.io/scrape").ShouldBe("true");
        int.Parse(annotations.Text("prometheus.io/port")).ShouldBe(url.Port);

        // Every path the cluster will call is one the server answers (200 on a healthy server).
        var served = paths.Values.Select(g => g.Text("path")).Append(annotations.Text("prometheus.io/path")).Distinct().ToList();
        served.ShouldContain("/metrics");
        await using (var server = RerankServer.Create(
            new ServerOptions { PipelinesFolder = Folder(), Catalog = ProbePlugin.Catalog, Watch = false, AdminToken = "", Urls = ["http://127.0.0.1:0"] }))
        {
            await server.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(server.Addresses[0]) };
            foreach (var path in served)
            {
                (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, path);
            }
        }

        var security = container.Get("securityContext");
        security.Text("readOnlyRootFilesystem").ShouldBe("true");
        security.Text("allowPrivilegeEscalation").ShouldBe("false");
        pod.Get("spec", "securityContext").Text("runAsNonRoot").ShouldBe("true");
        Strings(container.Node("volumeMounts"), "mountPath").ShouldContain("/tmp", "a read-only root needs a writable /tmp");
        Strings(container.Node("volumeMounts"), "mountPath").ShouldContain(args[args.IndexOf("--pipelines") + 1]);
        int.Parse(pod.Get("spec").Text("terminationGracePeriodSeconds")).ShouldBeGreaterThan(35, "the preStop sleep (5 s) and the drain (up to 30 s) fit the grace period");
        container.Get("lifecycle", "preStop", "sleep").Text("seconds").ShouldBe("5");
        container.Node("env").ToString().ShouldContain(ServerOptions.AdminTokenFileVariable);

        var labels = pod.Get("metadata", "labels");
        var service = Single(objects, "Service");
        Matches(service.Get("spec", "selector"), labels).ShouldBeTrue("the Service selects the replicas");
        ((YamlMappingNode)((YamlSequenceNode)service.Node("spec", "ports")).Children.Single()).Text("targetPort").ShouldBe("http");
        Matches(Single(objects, "PodDisruptionBudget").Get("spec", "selector", "matchLabels"), labels).ShouldBeTrue();
        Matches(deployment.Get("spec", "selector", "matchLabels"), labels).ShouldBeTrue();
        var hpa = Single(objects, "HorizontalPodAutoscaler");
        hpa.Get("spec", "scaleTargetRef").Text("name").ShouldBe(deployment.Get("metadata").Text("name"));
        hpa.Get("spec").Text("minReplicas").ShouldBe("2");

        var configMap = Single(objects, "ConfigMap");
        configMap.Get("metadata").Text("name").ShouldBe("rerank-pipelines", "no hash suffix: an edit updates the mounted files and the replicas hot-swap");
        ((YamlSequenceNode)pod.Node("spec", "volumes")).Children.Cast<YamlMappingNode>()
            .Any(v => v.Children.ContainsKey("configMap") && v.Get("configMap").Text("name") == "rerank-pipelines").ShouldBeTrue();
        configMap.Get("data").Text("initial-mmr.yaml").ShouldBe(File.ReadAllText(Path.Combine(RepoPaths.Root, "pipelines", "initial-mmr.yaml")), "the ConfigMap's copy of the shipped pipeline is current");
    }

    [ToolFact("kubectl")]
    public void GpuOverlay_OneGpuPerReplica_TheGpuImage()
    {
        var objects = Render("deploy/k8s/overlays/gpu");
        var container = (YamlMappingNode)((YamlSequenceNode)Single(objects, "Deployment").Node("spec", "template", "spec", "containers")).Children.Single();
        container.Text("image").ShouldBe("rerank:1.0-gpu");
        container.Get("resources", "limits").Text("nvidia.com/gpu").ShouldBe("1");
        Single(objects, "Deployment").Get("spec", "template", "spec", "nodeSelector").Text("nvidia.com/gpu.present").ShouldBe("true");
    }

    [ToolFact("kubectl")]
    public void OfflineJobs_IndexedShardsAgreeWithTheirMerges()
    {
        var mine = Single(Render("deploy/k8s/jobs/mine"), "Job");
        var evaluate = Single(Render("deploy/k8s/jobs/evaluate"), "Job");
        var merges = Render("deploy/k8s/jobs/merge");
        var train = Single(Render("deploy/k8s/jobs/train"), "Job");
        Render("deploy/k8s/jobs/volume").ShouldHaveSingleItem().Text("kind").ShouldBe("PersistentVolumeClaim");
        var checkpoints = Argument(train, "--checkpoints");
        Strings(Container(train).Node("args")).ShouldContain("--train-only");
        var shards = 0;
        foreach (var job in new[] { mine, evaluate })
        {
            var spec = job.Get("spec");
            spec.Text("completionMode").ShouldBe("Indexed");
            shards = int.Parse(spec.Text("completions"));
            spec.Text("parallelism").ShouldBe(spec.Text("completions"));
            Argument(job, "--shard").ShouldBe($"$(SHARD)/{shards}");
            Argument(job, "--checkpoints").ShouldBe(checkpoints, "every shard loads what the train step trained");
            var env = (YamlMappingNode)((YamlSequenceNode)Container(job).Node("env")).Children.Single();
            env.Text("name").ShouldBe("SHARD");
            env.Get("valueFrom", "fieldRef").Text("fieldPath").ShouldBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        }

        Argument(mine, "--out").ShouldBe("/work/mined/$(SHARD).bin");
        Argument(evaluate, "--out").ShouldBe("/work/shards/$(SHARD)");
        var results = merges.Single(o => o.Get("metadata").Text("name") == "rerank-merge");
        var args = Strings(Container(results).Node("args"));
        args[0].ShouldBe("merge");
        args.Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ShouldBe(Enumerable.Range(0, shards).Select(i => $"/work/shards/{i}"));
        var mined = merges.Single(o => o.Get("metadata").Text("name") == "rerank-merge-mined");
        Strings(Container(mined).Node("args")).Single().ShouldContain("cat " + string.Join(" ", Enumerable.Range(0, shards).Select(i => $"{i}.bin")) + " >");
        foreach (var job in new[] { train, mine, evaluate, results, mined })
        {
            job.Get("spec", "template", "spec").Text("restartPolicy").ShouldBe("Never");
            Container(job).Get("securityContext").Text("readOnlyRootFilesystem").ShouldBe("true");
        }
    }

    private static YamlMappingNode Container(YamlMappingNode job) =>
        (YamlMappingNode)((YamlSequenceNode)job.Node("spec", "template", "spec", "containers")).Children.Single();

    private static string Argument(YamlMappingNode job, string option)
    {
        var args = Strings(Container(job).Node("args"));
        return args[args.IndexOf(option) + 1];
    }

    private static List<YamlMappingNode> Render(string folder)
    {
        var start = new ProcessStartInfo(DeployTools.Find("kubectl") ?? "kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, folder));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(TimeSpan.FromMinutes(1)).ShouldBeTrue();
        process.ExitCode.ShouldBe(0, stderr.Result);
        var stream = new YamlStream();
        stream.Load(new StringReader(stdout.Result));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Single(List<YamlMappingNode> objects, string kind) => objects.Where(o => o.Text("kind") == kind).ShouldHaveSingleItem();

    private static List<string> Strings(YamlNode node, string? key = null) =>
        [.. ((YamlSequenceNode)node).Children.Select(c => key is null ? ((YamlScalarNode)c).Value! : ((YamlMappingNode)c).Text(key))];

    private static bool Matches(YamlMappingNode selector, YamlMappingNode labels) =>
        selector.Children.All(kv => labels.Children.TryGetValue(kv.Key, out var v) && ((YamlScalarNode)v).Value == ((YamlScalarNode)kv.Value).Value);

    private static string Folder()
    {
        var folder = ServingFixtures.NewFolder();
        File.WriteAllText(Path.Combine(folder, "main.yaml"), ServingFixtures.Pipeline("main", "probe@1.0.0/order"));
        return folder;
    }
}

/// <summary>Reading rendered manifests.</summary>
internal static class YamlPaths
{
    /// <summary>The node at <paramref name="path"/> under <paramref name="node"/>; fails naming the missing key.</summary>
    public static YamlNode Node(this YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            var mapping = current as YamlMappingNode ?? throw new InvalidOperationException($"'{key}' is looked up under a node that is no mapping: {current}");
            mapping.Children.TryGetValue(new YamlScalarNode(key), out var next).ShouldBeTrue($"no '{key}' in {mapping}");
            current = next!;
        }

        return current;
    }

    /// <summary>The mapping at <paramref name="path"/>.</summary>
    public static YamlMappingNode Get(this YamlMappingNode node, params string[] path) => (YamlMappingNode)node.Node(path);

    /// <summary>The scalar under <paramref name="key"/>.</summary>
    public static string Text(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value ?? "" : throw new InvalidOperationException($"no scalar '{key}' in {node}");
}
