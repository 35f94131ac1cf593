using System.Globalization;

namespace Rerank.Runtime.Configuration;

/// <summary>The inclusive bounds of an integer setting the host reads itself (YAML or command line), written <c>[min, max]</c> in errors and docs.</summary>
/// <param name="Min">The smallest accepted value.</param>
/// <param name="Max">The largest accepted value.</param>
public readonly record struct IntRange(int Min, int Max)
{
    /// <summary>Whether <paramref name="value"/> lies in [<see cref="Min"/>, <see cref="Max"/>].</summary>
    public bool Contains(long value) => value >= Min && value <= Max;

    /// <summary>The error text for a value outside: <c>must be in [1, 1024], got 2147483647</c>.</summary>
    public string Problem(string value) => $"must be in {this}, got {value}";

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Min}, {Max}]");
}
