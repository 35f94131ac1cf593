using System.Globalization;

namespace Rerank.Evaluation.Reports;

/// <summary>Escaping and number formatting shared by the report page and its SVG charts (HTML and inline SVG escape alike).</summary>
internal static class Html
{
    /// <summary>Escapes the five characters that matter in text and in quoted attribute values.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (text.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>A coordinate: invariant culture, at most two decimals (SVG needs no more at these sizes).</summary>
    public static string Coord(double value) =>
        double.IsFinite(value) ? (Math.Round(value, 2) + 0.0).ToString("0.##", CultureInfo.InvariantCulture) : "0";

    /// <summary>A value for a label or tooltip: four significant digits, no exponent for everyday magnitudes.</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        var magnitude = Math.Abs(value);
        return magnitude switch
        {
            0 => "0",
            >= 1e6 or < 1e-4 => value.ToString("0.###e0", CultureInfo.InvariantCulture),
            >= 100 => value.ToString("0.#", CultureInfo.InvariantCulture),
            _ => value.ToString("G4", CultureInfo.InvariantCulture),
        };
    }
}
