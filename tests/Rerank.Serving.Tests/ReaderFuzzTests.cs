using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Runtime.Pipelines;
using Rerank.Serving;
using Rerank.Serving.Http;
using Rerank.Serving.Json;
using Rerank.Testing;

namespace Rerank.Serving.Tests;

/// <summary>
/// A seeded mutator over the shipped YAML files and synthetic request bodies (issue #16): every mutant ends in success
/// or in clear errors with a line and column, never an exception, a hang or a runaway allocation.
/// </summary>
public sealed class ReaderFuzzTests
{
    private const int YamlCases = 3000;
    private const int JsonCases = 3000;
    private const long MaxBytesPerCase = 64L << 20;

    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ",", ":", ": ", "- ", "? ", "*a", "&a ", "*ctx", "&ctx ", "!!str ", "!tag ", "<<: ", "|", ">-", "'", "\"", "#", "\t", "\n", "\r\n", "---\n", "...\n", "%YAML 1.2\n",
        "\\", "\u0000", "\u00e9", "\uFEFF", "~", "null", "1e999", "-0", "0x1F", "2147483648", "NaN", ".inf", new string('[', 80), new string('{', 80), "a: &x [*x]",
    ];

    [Fact]
    public void YamlReaders_MutatedShippedFiles_SucceedOrGiveLocatedErrors()
    {
        var corpus = ShippedYaml();
        corpus.Count.ShouldBeGreaterThan(10);
        var random = new Random(16);
        var outcomes = new int[2];
        Run(() =>
        {
            for (var i = 0; i < YamlCases; i++)
            {
                var text = Mutate(corpus[random.Next(corpus.Count)], random);
                var before = GC.GetAllocatedBytesForCurrentThread();
                var errors = new List<ConfigError>();
                try
                {
                    var spec = PipelineParser.ParseText(text, "fuzz.yaml", RepoPaths.Root, errors);
                    if (YamlReader.Parse(text, "fuzz.yaml", errors) is { } root)
                    {
                        YamlParams.ToParam(root, "fuzz.yaml");
                    }
                }
                catch (Exception e)
                {
                    throw new ShouldAssertException($"case {i} threw {e.GetType().Name}: {e.Message}\n--- input ---\n{text}", e);
                }

                foreach (var error in errors)
                {
                    error.Location.Line.ShouldBeGreaterThan(0, $"case {i}: '{error.Message}' has no line\n--- input ---\n{text}");
                    error.Message.ShouldNotBeNullOrWhiteSpace();
                }

                (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(MaxBytesPerCase, $"case {i} allocated too much\n--- input ---\n{text}");
                outcomes[errors.Count == 0 ? 0 : 1]++;
            }
        });

        // Both outcomes occur, so the mutator neither breaks everything nor leaves everything valid.
        outcomes[0].ShouldBeGreaterThan(YamlCases / 50);
        outcomes[1].ShouldBeGreaterThan(YamlCases / 2);
    }

    [Fact]
    public void YamlText_MutatedBytes_DecodeOrGiveLocatedErrors()
    {
        var corpus = ShippedYaml().Select(Encoding.UTF8.GetBytes).ToList();
        var random = new Random(17);
        for (var i = 0; i < 1000; i++)
        {
            var bytes = corpus[random.Next(corpus.Count)].ToArray();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(128, 256);
            }

            var errors = new List<ConfigError>();
            if (YamlText.Decode(bytes, "fuzz.yaml", errors) is null)
            {
                var error = errors.ShouldHaveSingleItem();
                error.Location.Line.ShouldBeGreaterThan(0);
                error.Message.ShouldContain("not UTF-8");
            }
        }
    }

    [Fact]
    public void RequestReaders_MutatedBodies_MatchTheSerializerOrGiveClearErrors()
    {
        var schema = DefaultSchema.Serving;
        var corpus = Enumerable.Range(0, 8)
            .Select(i => JsonSerializer.Serialize(SyntheticRequests.Create(schema, 3 + i, 2, 7, i), ServingJson.Context.RerankRequestJson))
            .ToList();
        var random = new Random(18);
        var fastAccepted = 0;
        Run(() =>
        {
            for (var i = 0; i < JsonCases; i++)
            {
                var text = MutateJson(corpus[random.Next(corpus.Count)], random);
                var bytes = Encoding.UTF8.GetBytes(text);
                var before = GC.GetAllocatedBytesForCurrentThread();
                RerankRequestJson? slow = null;
                string? error = null;
                try
                {
                    slow = JsonSerializer.Deserialize(bytes, ServingJson.Context.RerankRequestJson);
                }
                catch (JsonException e)
                {
                    error = BodyReader.Describe(e);
                }

                bool fastOk;
                RerankRequestJson? fast;
                try
                {
                    fastOk = RequestJsonReader.TryRead(bytes, out fast);
                }
                catch (Exception e)
                {
                    throw new ShouldAssertException($"case {i}: the fast reader threw {e.GetType().Name}: {e.Message}\n--- input ---\n{text}", e);
                }

                if (fastOk)
                {
                    fastAccepted++;
                    slow.ShouldNotBeNull($"case {i}: the fast reader accepted what the serializer refuses ({error})\n--- input ---\n{text}");
                    JsonSerializer.Serialize(fast!, ServingJson.Context.RerankRequestJson).ShouldBe(JsonSerializer.Serialize(slow, ServingJson.Context.RerankRequestJson), $"case {i}\n--- input ---\n{text}");
                }

                if (error is not null)
                {
                    error.ShouldStartWith("malformed ");
                    error.ShouldContain("$");
                }

                (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(MaxBytesPerCase);
            }
        });

        fastAccepted.ShouldBeGreaterThan(JsonCases / 50);
    }

    /// <summary>Runs the cases on one thread (allocation is measured per thread) and fails rather than hang.</summary>
    private static void Run(Action cases)
    {
        var stopwatch = Stopwatch.StartNew();
        var task = Task.Factory.StartNew(cases, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(TimeSpan.FromSeconds(120)))
        {
            throw new ShouldAssertException($"the fuzz cases did not finish in {stopwatch.Elapsed.TotalSeconds:F0} s (a hang?)");
        }
    }

    private static List<string> ShippedYaml() =>
        [.. new[] { "pipelines", "experiments" }
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, f), "*.yaml"))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)];

    /// <summary>One to four edits: insert a token, delete a span, duplicate a span, or swap two lines.</summary>
    private static string Mutate(string text, Random random)
    {
        var sb = new StringBuilder(text);
        for (var k = random.Next(1, 5); k > 0; k--)
        {
            var at = random.Next(sb.Length + 1);
            switch (random.Next(4))
            {
                case 0:
                    sb.Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 1 when sb.Length > 0:
                    var start = Math.Min(at, sb.Length - 1);
                    sb.Remove(start, Math.Min(random.Next(1, 40), sb.Length - start));
                    break;
                case 2 when sb.Length > 0:
                    var from = random.Next(sb.Length);
                    var span = sb.ToString(from, Math.Min(random.Next(1, 200), sb.Length - from));
                    sb.Insert(at, span);
                    break;
                default:
                    var lines = sb.ToString().Split('\n');
                    var (a, b) = (random.Next(lines.Length), random.Next(lines.Length));
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    sb.Clear().Append(string.Join('\n', lines));
                    break;
            }
        }

        return sb.ToString();
    }

    private static string MutateJson(string text, Random random)
    {
        string[] tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e39", "-1", "\"NaN\"", "\"id\": \"x\", ", "\"slate_size\": 2, ", "\\u0000", "\u00e9", "0.5", new string('[', 100)];
        var sb = new StringBuilder(text);
        for (var k = random.Next(1, 4); k > 0; k--)
        {
            var at = random.Next(sb.Length + 1);
            if (random.Next(2) == 0)
            {
                sb.Insert(at, tokens[random.Next(tokens.Length)]);
            }
            else if (sb.Length > 0)
            {
                var start = Math.Min(at, sb.Length - 1);
                sb.Remove(start, Math.Min(random.Next(1, 12), sb.Length - start));
            }
        }

        return sb.ToString();
    }
}
