using System.Collections.Immutable;
using System.Text;
using Rerank.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Rerank.Runtime.Configuration;

/// <summary>Converts between YAML nodes (with their file:line:column) and <see cref="ParamNode"/> trees.</summary>
public static class YamlParams
{
    /// <summary>
    /// Converts a YAML node to a param node, keeping locations. Aliases are expanded; the node must come from
    /// <see cref="YamlReader"/>, whose guard bounds the expanded size and nesting and refuses non-scalar keys.
    /// </summary>
    public static ParamNode ToParam(YamlNode node, string file) => node switch
    {
        YamlScalarNode s => new ParamScalar(IsNull(s) ? null : s.Value, At(s, file)),
        YamlSequenceNode q => new ParamSequence([.. q.Children.Select(c => ToParam(c, file))], At(q, file)),
        YamlMappingNode m => new ParamMapping(
            [.. m.Children.Select(kv => new ParamEntry((kv.Key as YamlScalarNode)?.Value ?? "", At(kv.Key, file), ToParam(kv.Value, file)))],
            At(m, file)),
        _ => new ParamScalar(null, At(node, file)),
    };

    /// <summary>The location of a node.</summary>
    public static SourceLocation At(YamlNode node, string file) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>Parses a YAML document whose root is a mapping into params (used for round trips and <c>--params</c> strings); throws <see cref="ConfigException"/>.</summary>
    public static ParamMapping Parse(string yaml, string file)
    {
        var errors = new List<ConfigError>();
        var root = YamlReader.LoadDocument(yaml, file, errors);
        if (root is null)
        {
            throw new ConfigException(errors);
        }

        if (root is YamlScalarNode { Value: null or "" })
        {
            return new ParamMapping([], new SourceLocation(file, 1, 1));
        }

        return ToParam(root, file) as ParamMapping
            ?? throw new ConfigException(At(root, file), "expected a mapping of params");
    }

    /// <summary>Writes params as block YAML (keys in order, scalars quoted when needed).</summary>
    public static string ToYaml(ParamMapping mapping)
    {
        var sb = new StringBuilder();
        WriteMapping(sb, mapping, 0);
        return sb.Length == 0 ? "{}\n" : sb.ToString();
    }

    private static void WriteMapping(StringBuilder sb, ParamMapping mapping, int indent)
    {
        foreach (var entry in mapping.Entries)
        {
            sb.Append(' ', indent).Append(entry.Key).Append(':');
            WriteValue(sb, entry.Value, indent);
        }
    }

    private static void WriteValue(StringBuilder sb, ParamNode value, int indent)
    {
        switch (value)
        {
            case ParamScalar s:
                sb.Append(' ').Append(Quote(s.Value)).Append('\n');
                break;
            case ParamSequence q when q.Items.All(i => i is ParamScalar):
                sb.Append(" [").Append(string.Join(", ", q.Items.Cast<ParamScalar>().Select(i => Quote(i.Value)))).Append("]\n");
                break;
            case ParamSequence q:
                sb.Append('\n');
                foreach (var item in q.Items)
                {
                    sb.Append(' ', indent + 2).Append('-');
                    if (item is ParamMapping m)
                    {
                        sb.Append('\n');
                        WriteMapping(sb, m, indent + 4);
                    }
                    else
                    {
                        WriteValue(sb, item, indent + 2);
                    }
                }

                break;
            case ParamMapping m when m.Entries.Length == 0:
                sb.Append(" {}\n");
                break;
            case ParamMapping m:
                sb.Append('\n');
                WriteMapping(sb, m, indent + 2);
                break;
        }
    }

    private static string Quote(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var plain = value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '+' or '/' or '@' or '^')
            && value is not ("null" or "~" or "yes" or "no" or "on" or "off");
        return plain ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static bool IsNull(YamlScalarNode s) =>
        s.Style == ScalarStyle.Plain && (s.Value is null or "" or "~" or "null" or "Null" or "NULL");
}
