namespace Rerank.Runtime.Plugins;

/// <summary>One param of a component or a host settings block, as <c>rerank plugins params</c> and <c>docs/params.md</c> show it.</summary>
/// <param name="Key">The YAML key; nested options are dotted (<c>teacher_params.layers</c>).</param>
/// <param name="Type">The YAML type: <c>int</c>, <c>float[]</c>, <c>one of raw, log</c>, <c>mapping</c>, …</param>
/// <param name="Default">The default as YAML would write it (<c>unset</c> for null).</param>
/// <param name="Range">The accepted range of a number (of each element of a list), e.g. <c>[1, 1024]</c>; empty for other types.</param>
public sealed record ParamRow(string Key, string Type, string Default, string Range);
