using System.Text;

namespace Rerank.Simulation.Logs;

/// <summary>
/// A small RFC 4180 reader: comma-separated fields, each optionally in double quotes (a quote inside a quoted field is
/// doubled; a quoted field may span lines), records ended by LF or CRLF. Reads one record at a time.
/// </summary>
internal sealed class CsvReader(TextReader reader)
{
    private readonly StringBuilder _field = new();

    /// <summary>The 1-based number of the record last returned (the header is record 1).</summary>
    public long Record { get; private set; }

    /// <summary>
    /// The next record's fields (an empty unquoted field is null), or null at the end; a malformed record throws
    /// <see cref="FormatException"/> (its <see cref="Record"/> is already the bad record's number).
    /// </summary>
    public string?[]? Next()
    {
        var c = reader.Read();
        if (c < 0)
        {
            return null;
        }

        Record++;
        var fields = new List<string?>();
        while (true)
        {
            _field.Clear();
            bool quoted;
            if (c == '"')
            {
                quoted = true;
                while (true)
                {
                    c = reader.Read();
                    if (c < 0)
                    {
                        throw new FormatException("a quoted field is not closed before the end of the file");
                    }

                    if (c == '"')
                    {
                        c = reader.Read();
                        if (c != '"')
                        {
                            break;
                        }
                    }

                    _field.Append((char)c);
                }

                if (c is not (',' or '\r' or '\n' or -1))
                {
                    throw new FormatException($"field {fields.Count + 1}: text follows a closing quote (a quote inside a quoted field is written \"\")");
                }
            }
            else
            {
                quoted = false;
                while (c is not (',' or '\r' or '\n' or -1))
                {
                    if (c == '"')
                    {
                        throw new FormatException($"field {fields.Count + 1}: a quote inside an unquoted field (quote the whole field and double the quote)");
                    }

                    _field.Append((char)c);
                    c = reader.Read();
                }
            }

            fields.Add(!quoted && _field.Length == 0 ? null : _field.ToString());
            if (c == ',')
            {
                c = reader.Read();
                continue;
            }

            if (c == '\r' && reader.Peek() == '\n')
            {
                reader.Read();
            }

            return [.. fields];
        }
    }

    /// <summary>A field as CSV writes it: quoted when it holds a comma, quote, CR or LF.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
