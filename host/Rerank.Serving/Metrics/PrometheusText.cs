using System.Globalization;
using System.Text;

namespace Rerank.Serving.Metrics;

/// <summary>Prometheus text exposition format 0.0.4: headers, label sets with escaping, numbers.</summary>
internal static class PrometheusText
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Header(StringBuilder sb, string name, string help, string type) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
          .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    public static string LabelSet(IReadOnlyList<string> names, IReadOnlyList<string> values)
    {
        if (names.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder("{");
        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(names[i]).Append("=\"").Append(Escape(values[i])).Append('"');
        }

        return sb.Append('}').ToString();
    }

    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    public static string Key(string[] values) => string.Join('\u001f', values);
}
