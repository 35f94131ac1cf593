namespace Rerank.Simulation.Logs;

/// <summary>
/// Groups a log's rows into requests: a request is a run of rows with one request id; an id that comes back after other
/// requests is an error naming the row (rows of one request must be contiguous), and its rows are skipped.
/// </summary>
internal static class LogRequests
{
    /// <summary>The rows of each request, in file order; only one request's rows are held at a time.</summary>
    public static IEnumerable<List<LoggedRow>> Group(ILogRowSource source, LogLayout layout, LogProblems problems)
    {
        var parser = new LogRowParser(layout, problems);
        var finished = new Dictionary<string, long>(StringComparer.Ordinal);
        var rows = new List<LoggedRow>();
        string? skipping = null;
        foreach (var raw in source.Rows(layout.Projection))
        {
            var row = parser.Parse(raw);
            if (row.RequestId is not { } id || id == skipping)
            {
                continue;
            }

            skipping = null;
            if (rows.Count > 0 && rows[0].RequestId != id)
            {
                finished[rows[0].RequestId!] = rows[0].Number;
                yield return rows;
                rows = [];
            }

            if (rows.Count == 0 && finished.TryGetValue(id, out var first))
            {
                problems.Add(row.Number, layout.Name(layout.RequestId), $"request '{id}' already appeared (from {source.RowWord} {first}) before other requests; the rows of one request must be contiguous (sort the file by request)");
                skipping = id;
                continue;
            }

            rows.Add(row);
        }

        if (rows.Count > 0)
        {
            yield return rows;
        }
    }
}
