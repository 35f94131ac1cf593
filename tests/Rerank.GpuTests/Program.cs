using System.Diagnostics;
using System.Reflection;
using Xunit;
using Xunit.Sdk;

namespace Rerank.GpuTests;

/// <summary>
/// A minimal in-process xunit runner for the GPU tests, for hosts that have a GPU but no .NET SDK (so no
/// <c>dotnet test</c>): finds every [Fact]/[Theory] (and their GPU-gated subclasses) in the test classes whose
/// namespace matches a filter, expands theory data ([InlineData], [MemberData]), honours Skip, constructs the class
/// (parameterless), runs the test and disposes the instance. Prints one line per test and a summary; exit 1 when one
/// fails. Usage: <c>rerank-gpu-tests [namespace-substring …]</c> (default: <c>.Cuda</c> and <c>.Gpu</c>).
/// </summary>
internal static class Program
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(Rerank.Engine.Tests.Cuda.CudaTensorTests).Assembly,
        typeof(Rerank.Plugins.Nar4Rec.Tests.Gpu.GpuInferenceTests).Assembly,
    ];

    public static int Main(string[] args)
    {
        var filters = args.Length > 0 ? args : [".Cuda", ".Gpu"];
        int passed = 0, failed = 0, skipped = 0;
        var total = Stopwatch.StartNew();
        foreach (var test in Assemblies.SelectMany(a => Discover(a, filters)))
        {
            var watch = Stopwatch.StartNew();
            var (outcome, detail) = Run(test);
            switch (outcome)
            {
                case Outcome.Passed:
                    passed++;
                    break;
                case Outcome.Failed:
                    failed++;
                    break;
                default:
                    skipped++;
                    break;
            }

            Console.WriteLine($"{outcome,-7} {test.Name} [{watch.Elapsed.TotalMilliseconds:F0} ms]{(detail is null ? string.Empty : "\n        " + detail.ReplaceLineEndings("\n        "))}");
        }

        Console.WriteLine($"GPU tests: {passed} passed, {failed} failed, {skipped} skipped ({total.Elapsed.TotalSeconds:F1} s; filters: {string.Join(", ", filters)})");
        return failed > 0 ? 1 : passed == 0 ? 2 : 0;
    }

    private static IEnumerable<TestCase> Discover(Assembly assembly, string[] filters)
    {
        var types = assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && filters.Any(f => (t.Namespace ?? string.Empty).Contains(f, StringComparison.Ordinal)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).OrderBy(m => m.MetadataToken);
            foreach (var method in methods)
            {
                if (method.GetCustomAttribute<FactAttribute>(inherit: true) is not { } fact)
                {
                    continue;
                }

                var name = $"{type.Name}.{method.Name}";
                if (fact.Skip is { } skip)
                {
                    yield return new TestCase(name, type, method, null, skip);
                    continue;
                }

                if (fact is not TheoryAttribute)
                {
                    yield return new TestCase(name, type, method, [], null);
                    continue;
                }

                foreach (var data in method.GetCustomAttributes<DataAttribute>(inherit: true))
                {
                    foreach (var row in data.GetData(method))
                    {
                        yield return new TestCase($"{name}({string.Join(", ", row.Select(Format))})", type, method, row, data.Skip);
                    }
                }
            }
        }
    }

    private static (Outcome Outcome, string? Detail) Run(TestCase test)
    {
        if (test.Skip is not null)
        {
            return (Outcome.Skipped, test.Skip);
        }

        object? instance = null;
        try
        {
            instance = test.Method.IsStatic ? null : Activator.CreateInstance(test.Type);
            var result = test.Method.Invoke(instance, test.Arguments);
            if (result is Task task)
            {
                task.GetAwaiter().GetResult();
            }

            return (Outcome.Passed, null);
        }
        catch (Exception e)
        {
            var inner = e is TargetInvocationException { InnerException: { } ie } ? ie : e;
            return (Outcome.Failed, $"{inner.GetType().Name}: {inner.Message}");
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        Array a => $"[{string.Join(", ", a.Cast<object?>().Select(Format))}]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private enum Outcome
    {
        Passed,
        Failed,
        Skipped,
    }

    private sealed record TestCase(string Name, Type Type, MethodInfo Method, object?[]? Arguments, string? Skip);
}
