using System.Reflection;
using Xunit.Sdk;

namespace Rerank.Docs.Tests.Support;

/// <summary>
/// Runs the xunit tests of a class that is not in a test assembly (here, compiled from the page): every public
/// <c>[Fact]</c>, and every <c>[Theory]</c> once per data row, on a fresh instance each, as xunit would.
/// </summary>
internal static class SuiteRunner
{
    /// <summary>The failures, each <c>Class.Method(args): exception message</c>; and how many tests ran.</summary>
    public static (IReadOnlyList<string> Failures, int Ran) Run(Type testClass)
    {
        ArgumentNullException.ThrowIfNull(testClass);
        var failures = new List<string>();
        var ran = 0;
        foreach (var method in testClass.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.IsDefined(typeof(FactAttribute), inherit: true)))
        {
            var rows = method.IsDefined(typeof(TheoryAttribute), inherit: true)
                ? method.GetCustomAttributes<DataAttribute>(inherit: true).SelectMany(d => d.GetData(method)).ToList()
                : [[]];
            foreach (var row in rows)
            {
                ran++;
                try
                {
                    method.Invoke(Activator.CreateInstance(testClass), row);
                }
                catch (TargetInvocationException e) when (e.InnerException is not null)
                {
                    failures.Add($"{testClass.Name}.{method.Name}({string.Join(", ", row)}): {e.InnerException.GetType().Name}: {e.InnerException.Message}");
                }
            }
        }

        return (failures, ran);
    }
}
