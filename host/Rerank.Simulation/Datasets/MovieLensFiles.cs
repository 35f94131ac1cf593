using System.Globalization;
using System.Text;

namespace Rerank.Simulation.Datasets;

/// <summary>The parsed files of a MovieLens-100K folder (u.data, u.item, u.user, u.occupation).</summary>
internal sealed class MovieLensFiles
{
    /// <summary>Genres per movie in u.item.</summary>
    public const int Genres = 19;

    /// <summary>The files a folder must hold.</summary>
    public static readonly string[] Required = ["u.data", "u.item", "u.user", "u.occupation"];

    private static readonly int[] AgeEdges = [18, 25, 35, 45, 50, 56];

    private MovieLensFiles(List<Rating> ratings, Dictionary<int, MovieInfo> movies, Dictionary<int, UserInfo> users, int occupations)
    {
        Ratings = ratings;
        Movies = movies;
        Users = users;
        Occupations = occupations;
        MaxMovie = movies.Keys.Max();
        MaxUser = users.Keys.Max();
    }

    public List<Rating> Ratings { get; }

    public Dictionary<int, MovieInfo> Movies { get; }

    public Dictionary<int, UserInfo> Users { get; }

    public int Occupations { get; }

    public int MaxMovie { get; }

    public int MaxUser { get; }

    /// <summary>Age buckets (under 18, 18–24, 25–34, 35–44, 45–49, 50–55, 56+).</summary>
    public static int AgeBuckets => AgeEdges.Length + 1;

    /// <summary>Reads the folder; a malformed line is an error naming the file, line and field (never the line's text).</summary>
    public static MovieLensFiles Read(string folder)
    {
        var missing = Required.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"MovieLens folder '{folder}' lacks {string.Join(", ", missing)}");
        }

        var latin1 = Encoding.Latin1;
        var occupations = File.ReadAllLines(Path.Combine(folder, "u.occupation"), latin1)
            .Where(l => l.Length > 0).Select((name, i) => (name.Trim(), i)).ToDictionary(p => p.Item1, p => p.i, StringComparer.Ordinal);
        var users = new Dictionary<int, UserInfo>();
        Parse(folder, "u.user", '|', 5, latin1, f =>
        {
            var age = Int(f, 1);
            var gender = f[2] == "F" ? 1 : 0;
            if (!occupations.TryGetValue(f[3], out var occupation))
            {
                throw new FormatException("field 4 names an occupation that u.occupation does not list");
            }

            users[Int(f, 0)] = new UserInfo(AgeEdges.Count(e => age >= e), gender, occupation);
        });
        var movies = new Dictionary<int, MovieInfo>();
        Parse(folder, "u.item", '|', 5 + Genres, latin1, f =>
        {
            var genres = new float[Genres];
            for (var g = 0; g < Genres; g++)
            {
                genres[g] = f[5 + g] == "1" ? 1f : 0f;
            }

            // Release dates read dd-MMM-yyyy; a few are empty (year 0 → the feature is 0).
            var year = f[2].Length >= 4 && int.TryParse(f[2][^4..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var y) ? y : 0;
            movies[Int(f, 0)] = new MovieInfo(genres, year);
        });
        var ratings = new List<Rating>(100_000);
        Parse(folder, "u.data", '\t', 4, Encoding.ASCII, f => ratings.Add(new Rating(Int(f, 0), Int(f, 1), Int(f, 2), Long(f, 3))));
        foreach (var r in ratings)
        {
            if (!users.ContainsKey(r.User) || !movies.ContainsKey(r.Movie))
            {
                throw new InvalidDataException($"u.data: rating of user {r.User} for movie {r.Movie} names a user or movie that u.user / u.item lack");
            }
        }

        return new MovieLensFiles(ratings, movies, users, occupations.Count);
    }

    private static void Parse(string folder, string file, char separator, int fields, Encoding encoding, Action<string[]> row)
    {
        var number = 0;
        foreach (var line in File.ReadLines(Path.Combine(folder, file), encoding))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(separator);
            try
            {
                if (f.Length < fields)
                {
                    throw new FormatException($"{f.Length} fields, expected {fields}");
                }

                row(f);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{file}:{number}: {e.Message}", e);
            }
        }
    }

    // int.Parse's own message quotes the text; these name the field only.
    private static int Int(string[] fields, int index) =>
        int.TryParse(fields[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"field {index + 1} is not an integer");

    private static long Long(string[] fields, int index) =>
        long.TryParse(fields[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"field {index + 1} is not an integer");

    internal readonly record struct Rating(int User, int Movie, int Value, long Time);

    internal sealed record MovieInfo(float[] Genres, int Year);

    internal sealed record UserInfo(int AgeBucket, int Gender, int Occupation);
}
