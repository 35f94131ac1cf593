using Rerank.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Rerank.Runtime.Configuration;

/// <summary>
/// Checks YAML text in one pass over the parser's events, without recursion, before any tree is built: one document,
/// nesting at most <see cref="YamlLimits.MaxDepth"/> deep, at most <see cref="YamlLimits.MaxNodes"/> nodes with every
/// alias expanded (which stops "billion laughs"), aliases only to anchors defined before them, mapping keys that are
/// unique scalars. Every parser failure, whatever its type, becomes an error with the best line:column known.
/// </summary>
internal static class YamlGuard
{
    /// <summary>Returns true when <paramref name="text"/> is safe to load; otherwise adds one error and returns false.</summary>
    public static bool Check(string text, string file, ICollection<ConfigError> errors)
    {
        var scan = new Scan(file);
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                if (scan.Visit(parser.Current!) is { } error)
                {
                    errors.Add(error);
                    return false;
                }
            }

            return true;
        }
        catch (YamlException e)
        {
            errors.Add(new ConfigError(Locate(e, text, file, scan), $"malformed YAML: {Describe(e, scan)}"));
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            // YamlDotNet throws some parse failures (an unclosed flow collection followed by a block item) without a location.
            var at = scan.Last;
            errors.Add(new ConfigError(new SourceLocation(file, at.Line, at.Column), $"malformed YAML after this point{scan.OpenFlowHint()}"));
            return false;
        }
    }

    private static SourceLocation Locate(YamlException e, string text, string file, Scan scan)
    {
        var message = e.InnerException?.Message ?? e.Message;
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentTab(text) is { } tab)
        {
            // YamlDotNet reports a tab in indentation at 1:1; point at the tab itself.
            return new SourceLocation(file, tab.Line, tab.Column);
        }

        return e.Start.Line > 0 && (e.Start.Line > 1 || e.Start.Column > 1 || scan.Last.Line <= 1)
            ? new SourceLocation(file, (int)e.Start.Line, (int)e.Start.Column)
            : new SourceLocation(file, scan.Last.Line, scan.Last.Column);
    }

    private static string Describe(YamlException e, Scan scan)
    {
        var message = e.InnerException?.Message ?? e.Message;

        // YamlDotNet prefixes messages with "(Line: a, Col: b, Idx: c) - (Line: ...): "; the location is ours already.
        var i = message.LastIndexOf("): ", StringComparison.Ordinal);
        message = (i >= 0 ? message[(i + 3)..] : message).TrimEnd('.');
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            message += " (YAML indents with spaces only)";
        }

        return message + scan.OpenFlowHint();
    }

    /// <summary>The first tab in a line's leading whitespace, 1-based.</summary>
    private static (int Line, int Column)? FirstIndentTab(string text)
    {
        var line = 1;
        var column = 1;
        var leading = true;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
                column = 1;
                leading = true;
                continue;
            }

            if (leading && c == '\t')
            {
                return (line, column);
            }

            leading &= c == ' ';
            column++;
        }

        return null;
    }

    /// <summary>The state of one pass: open collections, anchors and their expanded sizes, the node count.</summary>
    private sealed class Scan(string file)
    {
        private readonly List<Frame> _open = [];
        private readonly Dictionary<string, long> _anchors = new(StringComparer.Ordinal);
        private long _nodes;
        private int _documents;

        /// <summary>Where the last event parsed ended.</summary>
        public (int Line, int Column) Last { get; private set; } = (1, 1);

        public ConfigError? Visit(ParsingEvent e)
        {
            Last = ((int)e.End.Line, (int)e.End.Column);
            switch (e)
            {
                case DocumentStart when ++_documents > 1:
                    return Error(e.Start, "a file holds one YAML document; a second one starts here (remove the '---' or split the file)");
                case Scalar s:
                    return Node(e, s.Anchor, 1, key: s.Value);
                case AnchorAlias a:
                    return _anchors.TryGetValue(a.Value.Value, out var size)
                        ? Node(e, AnchorName.Empty, size, key: null)
                        : Error(e.Start, $"unknown alias '*{a.Value}': no anchor '&{a.Value}' is defined before it");
                case MappingStart or SequenceStart:
                    return Open(e);
                case MappingEnd or SequenceEnd:
                    var frame = _open[^1];
                    _open.RemoveAt(_open.Count - 1);
                    return Close(frame);
                default:
                    return null;
            }
        }

        /// <summary>", inside the '{' opened at 3:15" when a flow collection is open.</summary>
        public string OpenFlowHint()
        {
            var flow = _open.LastOrDefault(f => f.Flow);
            return flow is null ? "" : $" (the '{(flow.Mapping ? '{' : '[')}' opened at {flow.Start.Line}:{flow.Start.Column} is not closed)";
        }

        private ConfigError? Open(ParsingEvent e)
        {
            if (_open.Count >= YamlLimits.MaxDepth)
            {
                return Error(e.Start, $"YAML nests deeper than {YamlLimits.MaxDepth} levels here; mappings and sequences may nest at most {YamlLimits.MaxDepth} deep");
            }

            if (IsKeyPosition())
            {
                return Error(e.Start, "a mapping key must be a plain string, not a mapping or sequence");
            }

            var (anchor, mapping, flow) = e switch
            {
                MappingStart m => (m.Anchor, true, m.Style == MappingStyle.Flow),
                SequenceStart q => (q.Anchor, false, q.Style == SequenceStyle.Flow),
                _ => (AnchorName.Empty, false, false),
            };
            _open.Add(new Frame(e.Start, anchor, mapping, flow));
            return null;
        }

        private ConfigError? Close(Frame frame)
        {
            var size = frame.Size + 1;
            if (!frame.Anchor.IsEmpty)
            {
                _anchors[frame.Anchor.Value] = size;
            }

            return Count(frame.Start, size, alias: false);
        }

        private ConfigError? Node(ParsingEvent e, AnchorName anchor, long size, string? key)
        {
            if (IsKeyPosition())
            {
                var frame = _open[^1];
                if (key is null)
                {
                    return Error(e.Start, "a mapping key must be a plain string, not an alias");
                }

                frame.Keys ??= new Dictionary<string, Mark>(StringComparer.Ordinal);
                if (!frame.Keys.TryAdd(key, e.Start))
                {
                    var first = frame.Keys[key];
                    return Error(e.Start, $"duplicate key '{key}' (first at {first.Line}:{first.Column})");
                }
            }

            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = size;
            }

            return Count(e.Start, size, alias: e is AnchorAlias);
        }

        private bool IsKeyPosition() => _open.Count > 0 && _open[^1].Mapping && _open[^1].Children % 2 == 0;

        private ConfigError? Count(Mark at, long size, bool alias)
        {
            _nodes += alias ? size : 1;
            if (_open.Count > 0)
            {
                _open[^1].Children++;
                _open[^1].Size += size;
            }

            return _nodes <= YamlLimits.MaxNodes
                ? null
                : Error(at, alias
                    ? $"this alias expands to {size:N0} nodes and takes the document past {YamlLimits.MaxNodes:N0}; aliases may repeat a block, not multiply the file"
                    : $"the document holds more than {YamlLimits.MaxNodes:N0} nodes");
        }

        private ConfigError Error(Mark at, string message) => new(new SourceLocation(file, (int)at.Line, (int)at.Column), message);
    }

    private sealed class Frame(Mark start, AnchorName anchor, bool mapping, bool flow)
    {
        public Mark Start { get; } = start;

        public AnchorName Anchor { get; } = anchor;

        public bool Mapping { get; } = mapping;

        public bool Flow { get; } = flow;

        public int Children { get; set; }

        public long Size { get; set; }

        public Dictionary<string, Mark>? Keys { get; set; }
    }
}
