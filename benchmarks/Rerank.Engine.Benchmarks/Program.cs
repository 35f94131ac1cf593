using BenchmarkDotNet.Running;
using Rerank.Benchmarks;
using Rerank.Engine.Benchmarks;

// `dotnet run -c Release -- --quick` prints the same table as `rerank bench engine`;
// any other arguments go to BenchmarkDotNet (e.g. `--filter *Encoder*`).
if (args is ["--quick", ..])
{
    // --quick [--threads T] [--seconds S]: S seconds per case (default 1; more gives steadier minima on a shared machine)
    int? threads = null;
    var seconds = 1.0;
    for (var i = 1; i + 1 < args.Length; i += 2)
    {
        switch (args[i])
        {
            case "--threads": threads = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
            case "--seconds": seconds = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
            default: throw new ArgumentException($"--quick: unknown option {args[i]} (expected --threads T or --seconds S).");
        }
    }

    Console.Write(EngineBenchmark.Format(EngineBenchmark.Run(new EngineBenchmarkOptions(Threads: threads, MinSecondsPerCase: seconds))));
    return;
}

if (args is ["--train", ..])
{
    OpProfile.Training(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount);
    return;
}

if (args is ["--step", ..])
{
    // --step [S]: only the encoder rows (inference B=256, train step, their ratio), S seconds each: quick A/B of two builds
    StepProbe.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return;
}

if (args is ["--attn", ..])
{
    // --attn [T]: attention with gradients (forward, backward) and the Linear backward GEMMs, hot and with caches flushed
    AttnProbe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount);
    FlushProbe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount);
    return;
}

if (args is ["--exp", ..])
{
    ExpProbe.Run();
    return;
}

if (args is ["--ops", ..])
{
    OpProfile.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(SgemmBenchmarks).Assembly).Run(args);
