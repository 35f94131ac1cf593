using BenchmarkDotNet.Running;
using Rerank.Benchmarks;
using Rerank.Engine.Benchmarks;

// `dotnet run -c Release -- --quick` prints the same table as `rerank bench engine`;
// any other arguments go to BenchmarkDotNet (e.g. `--filter *Encoder*`).
if (args is ["--quick", ..])
{
    int? threads = args is [_, "--threads", var t, ..] ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : null;
    Console.Write(EngineBenchmark.Format(EngineBenchmark.Run(new EngineBenchmarkOptions(Threads: threads))));
    return;
}

if (args is ["--train", ..])
{
    OpProfile.Training(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount);
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
