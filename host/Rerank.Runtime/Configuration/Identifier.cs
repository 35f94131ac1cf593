using System.Text.RegularExpressions;
using Rerank.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Rerank.Runtime.Configuration;

/// <summary>
/// Names YAML gives to experiments, pipelines and evaluators: they become folder names (<c>out/&lt;experiment&gt;</c>),
/// row labels and URL segments, so they are identifiers, never paths: letters, digits and <c>. _ + -</c>, at most 64,
/// starting with a letter or digit (so never <c>.</c>, <c>..</c>, a slash or a space).
/// </summary>
public static partial class Identifier
{
    /// <summary>The rule, as error messages state it.</summary>
    public const string Rule = "use letters, digits and . _ + - (at most 64, starting with a letter or digit)";

    /// <summary>Whether <paramref name="name"/> follows the identifier rule.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Adds <c>{what}: name '…' is not an identifier: …</c> at <paramref name="node"/> when <paramref name="name"/> breaks the rule.</summary>
    public static bool Check(YamlReader y, YamlNode node, string what, string name)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (IsValid(name))
        {
            return true;
        }

        y.Errors.Add(new ConfigError(y.At(node), Message(what, name)));
        return false;
    }

    /// <summary><c>{what}: name '{name}' is not an identifier: use letters, digits and . _ + - (…)</c>.</summary>
    public static string Message(string what, string name) => $"{what}: name '{name}' is not an identifier: {Rule}";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
