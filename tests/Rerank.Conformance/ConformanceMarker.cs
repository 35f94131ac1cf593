namespace Rerank.Conformance;

internal static class ConformanceMarker
{
}
