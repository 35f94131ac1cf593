using System.Xml.Linq;

namespace Rerank.Evaluation.Tests.Reports;

/// <summary>Parses chart markup as XML (the SVG writer emits well-formed XML) and finds elements by class.</summary>
internal static class Svg
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public static XElement Parse(string svg) => XElement.Parse(svg);

    public static List<XElement> ByClass(this XElement root, string element, string cssClass) =>
        [.. root.Descendants(Ns + element).Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true)];

    public static double Number(this XElement e, string attribute) =>
        double.Parse((string)e.Attribute(attribute)!, System.Globalization.CultureInfo.InvariantCulture);

    public static List<string> Texts(this XElement root, string cssClass) => [.. root.ByClass("text", cssClass).Select(t => t.Value)];
}
