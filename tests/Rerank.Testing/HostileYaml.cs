using System.Text;

namespace Rerank.Testing;

/// <summary>YAML built to hurt a parser, for the tests that prove every reader refuses it.</summary>
public static class HostileYaml
{
    /// <summary>The classic "billion laughs": each level is a list of ten aliases to the level before (1.4 KB, 10^9 nodes expanded).</summary>
    public static string BillionLaughs()
    {
        var sb = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 9; i++)
        {
            var p = $"*a{i - 1}";
            sb.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat(p, 10))}]\n");
        }

        return sb.ToString();
    }
}
