using Rerank.Runtime.Configuration;
using Rerank.Simulation.Datasets;
using Rerank.Simulation.Logging;
using Rerank.Simulation.Logs;
using Rerank.Testing;

namespace Rerank.Simulation.Tests.Logs;

/// <summary>
/// <c>logging_policy:</c> declares the policy that chose the logged slates, so that every estimator applies on a log;
/// recorded propensities that contradict it are errors naming the row and column.
/// </summary>
public sealed class DeclaredLoggingPolicyTests
{
    /// <summary>The hand-written log below with a score column: r1 (the latest, so the test split) scores a 0, b ln 3, c 0.</summary>
    private const string Header = LogTestFiles.Header + ",score";

    private static readonly string[] Rows =
    [
        "r2,100,u2,c,1,0,0.5,0.5,0.1,x,0",
        "r2,100,u2,d,,,,0.5,0.2,z,0",
        "r1,300,u1,a,2,0,0.5,0.3,0.3,x,0",
        "r1,300,u1,b,1,1,0.6,0.3,0.6,y,1.0986122886681098",
        "r1,300,u1,c,,,,0.3,0.1,x,0",
        "r3,200,u1,a,1,1,1,1,0.3,x,0",
    ];

    [Fact]
    public void Read_SimulatedExportWithItsPolicyDeclared_AnswersAsTheSimulatorsPolicy()
    {
        using var folder = new TempFolder();
        var dataset = LogTestFiles.Dataset;
        var options = LogTestFiles.ExportOptions();
        options.LoggingPolicy = new LogLoggingPolicyOptions { LogPrior = "ctr", Temperature = dataset.Options.LoggingTemperature };

        var data = LogsReader.Read(LogTestFiles.Export(folder, LogFormat.Parquet), options, dataset.Seed);

        var truth = SimulatedImpressions.Test(dataset);
        data.Test.Count.ShouldBe(truth.Count);
        for (var r = 0; r < truth.Count; r++)
        {
            var declared = data.Test[r].Policy.ShouldBeOfType<PlackettLuceLoggingPolicy>();
            var simulator = truth[r].Policy;
            var shown = truth[r].Logged.Exposed;
            declared.SlateProbability(shown)!.Value.ShouldBe(simulator.SlateProbability(shown)!.Value, 1e-12);
            declared.PrefixProbabilities(shown)!.ShouldBe(simulator.PrefixProbabilities(shown)!, 1e-12);
            for (var position = 0; position < shown.Length; position++)
            {
                for (var item = 0; item < declared.Candidates; item++)
                {
                    declared.PositionMarginal(position, item)!.Value.ShouldBe(simulator.PositionMarginal(position, item)!.Value, 1e-12);
                }
            }

            var (a, b) = (declared.PairMarginals()!, simulator.PairMarginals()!);
            a.Cast<double>().ShouldBe(b.Cast<double>(), 1e-12);
        }
    }

    [Fact]
    public void Read_DeclaredTemperatureContradictedByThePropensities_NamesTheRowAndColumn()
    {
        using var folder = new TempFolder();
        var options = LogTestFiles.ExportOptions();
        options.LoggingPolicy = new LogLoggingPolicyOptions { LogPrior = "ctr", Temperature = 2 * LogTestFiles.Dataset.Options.LoggingTemperature };

        var message = Should.Throw<ConfigException>(() => LogsReader.Read(LogTestFiles.Export(folder, LogFormat.Csv), options, 1)).Message;

        message.ShouldContain("column 'propensity': records ");
        message.ShouldContain("but the declared logging policy gives");
        message.ShouldContain("check logging_policy");
    }

    [Fact]
    public void Read_ScoreColumn_GivesHandComputedMarginalsForEveryPair()
    {
        using var folder = new TempFolder();
        var data = LogsReader.Read(LogTestFiles.Csv(folder, Rows, Header), Options(), 1);

        // r1: weights a 1, b 3, c 1 at T = 1; b was shown first, a second.
        var impression = data.Test.ShouldHaveSingleItem();
        impression.Logged.Request.RequestId.ShouldBe("r1");
        var policy = impression.Policy;
        policy.SlateProbability([1, 0])!.Value.ShouldBe(0.6 * 0.5, 1e-12);
        policy.SlateProbability([0, 1])!.Value.ShouldBe(0.2 * 0.75, 1e-12, "a slate the log did not show: the recorded columns could not say");
        policy.PositionMarginal(0, 1)!.Value.ShouldBe(0.6, 1e-12);
        // a second: b then a (0.6 · 1/2) or c then a (0.2 · 1/4).
        policy.PositionMarginal(1, 0)!.Value.ShouldBe(0.35, 1e-12);
        var pairs = policy.PairMarginals()!;
        pairs[(0 * 3) + 1, (1 * 3) + 0].ShouldBe(0.3, 1e-12);
        pairs[(0 * 3) + 1, (0 * 3) + 2].ShouldBe(0.0);
    }

    [Fact]
    public void Read_ScoreColumnWithAContradictingPropensity_NamesTheRow()
    {
        var rows = (string[])Rows.Clone();
        rows[2] = "r1,300,u1,a,2,0,0.55,0.3,0.3,x,0";
        using var folder = new TempFolder();

        var message = Should.Throw<ConfigException>(() => LogsReader.Read(LogTestFiles.Csv(folder, rows, Header), Options(), 1)).Message;

        message.ShouldContain("row 3, column 'propensity': records 0.55, but the declared logging policy gives 0.5 for this item at position 2 given the items above it");
    }

    [Fact]
    public void Read_SlatePropensityContradictingThePolicy_NamesTheRequestsFirstRow()
    {
        var rows = Rows.Select(r => r.StartsWith("r1,", StringComparison.Ordinal) ? r.Replace(",0.3,", ",0.31,", StringComparison.Ordinal) : r).ToArray();
        using var folder = new TempFolder();

        var message = Should.Throw<ConfigException>(() => LogsReader.Read(LogTestFiles.Csv(folder, rows, Header), Options(), 1)).Message;

        message.ShouldContain("row 3, column 'slate_propensity': records 0.31, but the declared logging policy gives 0.3 for the shown slate");
    }

    [Fact]
    public void Read_ScoreColumnMissingOrEmpty_IsNamed()
    {
        using var folder = new TempFolder();
        var options = Options();
        options.LoggingPolicy!.Score = "logit";
        Should.Throw<ConfigException>(() => LogsReader.Read(LogTestFiles.Csv(folder, Rows, Header), options, 1)).Message
            .ShouldContain("column 'logit' (logging_policy.score) is missing");

        var rows = (string[])Rows.Clone();
        rows[4] = "r1,300,u1,c,,,,0.3,0.1,x,";
        Should.Throw<ConfigException>(() => LogsReader.Read(LogTestFiles.Csv(folder, rows, Header, "empty.csv"), Options(), 1)).Message
            .ShouldContain("row 5, column 'score': is empty; the declared logging policy needs every candidate's score");
    }

    [Fact]
    public void Validate_ScoreAndLogPriorBothOrNeither_AndAPriorThatIsNone_AreErrors()
    {
        var both = Options();
        both.LoggingPolicy!.LogPrior = "ctr";
        both.Validate().ShouldContain(e => e.Contains("give exactly one of score", StringComparison.Ordinal));

        var neither = Options();
        neither.LoggingPolicy!.Score = null;
        neither.Validate().ShouldContain(e => e.Contains("give exactly one of score", StringComparison.Ordinal));

        var notAPrior = Options();
        notAPrior.LoggingPolicy = new LogLoggingPolicyOptions { LogPrior = "cvr" };
        notAPrior.Validate().ShouldContain("logging_policy.log_prior: 'cvr' is not one of features.priors (ctr)");

        var twice = Options();
        twice.LoggingPolicy!.Score = "ctr";
        twice.Validate().ShouldContain(e => e.Contains("column 'ctr' already has a role", StringComparison.Ordinal));
    }

    private static LogsOptions Options()
    {
        var options = LogTestFiles.CsvOptions();
        options.LoggingPolicy = new LogLoggingPolicyOptions { Score = "score", Temperature = 1 };
        return options;
    }
}
