using Rerank.Abstractions;
using Rerank.Evaluation.Experiments;
using Rerank.Simulation.Datasets;
using Shouldly;
using Xunit;

namespace Rerank.Simulation.Tests.Datasets;

public sealed class MovieLensDatasetTypeTests
{
    private static readonly MovieLensDatasetType Type = new();

    [Fact]
    public void Load_TinyFolder_BlocksFromTheNewestAndLabelsByRating()
    {
        using var tiny = new TinyMovieLens();
        var data = Type.Load(new MovieLensOptions { ListSize = 4, RatingsPerList = 2, HistoryLength = 8, ValidationFraction = 0 }, tiny.Folder, 7, null);

        // user 1: ratings by time 1(5) 2(2) 3(4) 4(5) 5(1); test block = movies 4, 5; training block = movies 2, 3; movie 1 only feeds history.
        data.Test.Count.ShouldBe(2);
        var test = data.Test.Single(r => r.UserId == "u1");
        test.Candidates.Count.ShouldBe(4);
        var ids = test.Candidates.Select(c => c.Id).ToList();
        ids.ShouldContain("m4");
        ids.ShouldContain("m5");
        ids.ShouldNotContain("m1");
        ids.ShouldNotContain("m2");
        ids.ShouldNotContain("m3");
        test.History.Select(h => h.Id).ShouldBe(["m1", "m3"]);
        var labels = data.TestLabels![data.Test.ToList().IndexOf(test)];
        labels.Sum().ShouldBe(1f);
        labels[ids.IndexOf("m4")].ShouldBe(1f);

        var train = data.Training.Train.Single(l => l.Request.UserId == "u1");
        train.Request.Candidates.Select(c => c.Id).ShouldContain("m2");
        train.Request.Candidates.Select(c => c.Id).ShouldContain("m3");
        train.Request.History.Select(h => h.Id).ShouldBe(["m1"]);
        train.Clicks[train.Request.Candidates.Select(c => c.Id).ToList().IndexOf("m3")].ShouldBe(1f);
        train.Exposed.ShouldBe([0, 1, 2, 3]);
    }

    [Fact]
    public void Load_SameSeed_SameLists()
    {
        using var tiny = new TinyMovieLens();
        var options = new MovieLensOptions { ListSize = 5, RatingsPerList = 2, ValidationFraction = 0 };
        Describe(Type.Load(options, tiny.Folder, 3, null)).ShouldBe(Describe(Type.Load(options, tiny.Folder, 3, null)));
    }

    [Fact]
    public void Load_MalformedLines_ErrorNamesFileLineAndFieldButNotTheText()
    {
        using var tiny = new TinyMovieLens();
        File.AppendAllText(Path.Combine(tiny.Folder, "u.data"), "1\tCONTENT-TOKEN\t4\t60\n");
        File.AppendAllText(Path.Combine(tiny.Folder, "u.user"), "3|30|M|CONTENT-JOB|00000\n");
        var options = new MovieLensOptions { ListSize = 5, RatingsPerList = 2, ValidationFraction = 0 };

        var message = Should.Throw<InvalidDataException>(() => Type.Load(options, tiny.Folder, 3, null)).Message;

        message.ShouldBe("u.user:3: field 4 names an occupation that u.occupation does not list");
        File.WriteAllLines(Path.Combine(tiny.Folder, "u.user"), ["1|24|M|student|00000", "2|60|F|writer|00000"]);
        Should.Throw<InvalidDataException>(() => Type.Load(options, tiny.Folder, 3, null)).Message.ShouldBe("u.data:8: field 2 is not an integer");
    }

    [Fact]
    public void Check_MissingFolder_ErrorNamesThePath()
    {
        var errors = new List<ConfigError>();
        var missing = Path.Combine(Path.GetTempPath(), "no-such-movielens");
        Type.Check(new MovieLensOptions(), new DatasetSpec("movielens", null, missing, default), errors);
        errors.Single().Message.ShouldContain(missing);
    }

    [Fact]
    public void Bind_Movielens_KnownType()
    {
        var errors = new List<ConfigError>();
        using var tiny = new TinyMovieLens();
        DatasetTypes.Bind(new DatasetSpec("movielens", null, tiny.Folder, default), errors).ShouldNotBeNull();
        errors.ShouldBeEmpty();
    }

    [MovieLensFact]
    public void Load_MovieLens100K_OneTestListOfThirtyPerUser()
    {
        var data = Type.Load(new MovieLensOptions(), MovieLensFactAttribute.Folder, 20261124, null);
        data.Test.Count.ShouldBe(943);
        data.Training.Train.Count.ShouldBeGreaterThan(2000);
        foreach (var (request, labels) in data.Test.Zip(data.TestLabels!))
        {
            request.Candidates.Count.ShouldBe(30);
            request.Candidates.Select(c => c.Id).Distinct().Count().ShouldBe(30);
            labels.Length.ShouldBe(30);
            request.History.Count.ShouldBeLessThanOrEqualTo(128);
            request.History.Select(h => h.Id).Intersect(request.Candidates.Select(c => c.Id)).ShouldBeEmpty();
        }

        data.TestLabels!.Sum(l => l.Sum()).ShouldBeGreaterThan(943f);
    }

    [MovieLensFact]
    public void Load_MovieLens100K_Deterministic()
    {
        var options = new MovieLensOptions();
        Describe(Type.Load(options, MovieLensFactAttribute.Folder, 5, null))
            .ShouldBe(Describe(Type.Load(options, MovieLensFactAttribute.Folder, 5, null)));
    }

    private static string Describe(ExperimentData data) =>
        string.Join("\n", data.Training.Train.Concat(data.Training.Validation)
            .Select(l => $"{l.Request.RequestId}:{string.Join(',', l.Request.Candidates.Select(c => c.Id))}:{string.Join(',', l.Clicks)}:{l.Request.History.Count}"))
        + string.Join("\n", data.Test.Select(r => $"{r.RequestId}:{string.Join(',', r.Candidates.Select(c => c.Id))}"));
}
