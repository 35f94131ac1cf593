namespace Rerank.Abstractions;

/// <summary>Options that check their own values after binding (ranges, combinations).</summary>
public interface IValidatableOptions
{
    /// <summary>Every problem, each naming the offending key in YAML spelling (e.g. <c>width must be at least 1, got 0</c>).</summary>
    IEnumerable<string> Validate();
}
