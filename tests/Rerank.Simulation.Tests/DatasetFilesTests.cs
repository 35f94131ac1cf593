using System.IO.Compression;
using Rerank.Simulation;
using Rerank.Testing;

namespace Rerank.Simulation.Tests;

public sealed class DatasetFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rerank-sim-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Write_SameSeed_ByteIdenticalFiles()
    {
        // Guarantee 1.
        var a = Path.Combine(_root, "a");
        var b = Path.Combine(_root, "b");
        var files = DatasetFiles.Write(SimTestWorlds.Dataset, a);
        DatasetFiles.Write(Simulator.Generate(SimTestWorlds.Small(), 7), b);
        files.Count.ShouldBe(6);
        foreach (var file in files)
        {
            File.ReadAllBytes(file).ShouldBe(File.ReadAllBytes(Path.Combine(b, Path.GetFileName(file))), Path.GetFileName(file));
        }
    }

    [Fact]
    public void Read_WrittenDataset_EqualsGenerated()
    {
        var dir = Path.Combine(_root, "rt");
        DatasetFiles.Write(SimTestWorlds.Dataset, dir);
        var read = DatasetFiles.Read(dir);
        DatasetAssert.Equal(read, SimTestWorlds.Dataset);
        read.Describe().ShouldBe(SimTestWorlds.Dataset.Describe());
        Directory.GetFiles(dir, "*.tmp").ShouldBeEmpty();
    }

    [Fact]
    public void Write_ComplementarityOn_WorldListsTheGraphAndReadsBack()
    {
        var o = SimTestWorlds.Small();
        o.Complementarity = 1.0;
        var data = Simulator.Generate(o, 7);
        var dir = Path.Combine(_root, "compl");
        DatasetFiles.Write(data, dir);
        DatasetAssert.Equal(DatasetFiles.Read(dir), data);
        using var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(dir, "world.jsonl.gz")), CompressionMode.Decompress));
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains("\"kind\":\"category\"")).ToList();
        lines.Count.ShouldBe(o.Categories);
        lines[0].ShouldContain($"\"complements\":[{string.Join(',', data.World.Complements[0])}]");
    }

    [Fact]
    public void Write_UserEffectsOn_ReadsBackWithTheSameUserDrawsAndFeature()
    {
        // The per-user η_u, γ_u and the user_patience feature are redrawn from the seed on read.
        var o = SimTestWorlds.Small();
        o.SatiationUserSpread = 0.8;
        o.PatienceSpread = 0.5;
        var data = Simulator.Generate(o, 7);
        var dir = Path.Combine(_root, "users");
        DatasetFiles.Write(data, dir);
        var read = DatasetFiles.Read(dir);
        DatasetAssert.Equal(read, data);
        read.World.Patience.ShouldBe(data.World.Patience);
        read.World.SatiationScale.ShouldBe(data.World.SatiationScale);
    }

    [Fact]
    public void Read_MissingFile_NamesIt()
    {
        var dir = Path.Combine(_root, "missing");
        DatasetFiles.Write(SimTestWorlds.Dataset, dir);
        File.Delete(Path.Combine(dir, "validation.jsonl.gz"));
        Should.Throw<FileNotFoundException>(() => DatasetFiles.Read(dir)).Message.ShouldContain("validation.jsonl.gz");
    }

    [Fact]
    public void Read_MissingDatasetJson_SaysTheFolderIsIncomplete()
    {
        Directory.CreateDirectory(_root);
        Should.Throw<FileNotFoundException>(() => DatasetFiles.Read(_root)).Message.ShouldContain("dataset.json");
    }

    [Fact]
    public void Read_CorruptLine_NamesFileAndLine()
    {
        var dir = Path.Combine(_root, "corrupt");
        DatasetFiles.Write(SimTestWorlds.Dataset, dir);
        var path = Path.Combine(dir, "test.jsonl.gz");
        var lines = ReadLines(path);
        lines[2] = lines[2].Replace("\"candidates\":[", "\"candidates\":[99999,", StringComparison.Ordinal);
        lines[4] = "{not json";
        WriteLines(path, lines);
        var e = Should.Throw<InvalidDataException>(() => DatasetFiles.Read(dir));
        e.Message.ShouldContain("test.jsonl.gz:3:");
    }

    [Fact]
    public void Read_BrokenJson_NamesFileAndLine()
    {
        var dir = Path.Combine(_root, "broken");
        DatasetFiles.Write(SimTestWorlds.Dataset, dir);
        var path = Path.Combine(dir, "train.jsonl.gz");
        var lines = ReadLines(path);
        lines[6] = lines[6][..20];
        WriteLines(path, lines);
        Should.Throw<InvalidDataException>(() => DatasetFiles.Read(dir)).Message.ShouldContain("train.jsonl.gz:7:");
    }

    [Fact]
    public void Read_NotGzip_NamesTheFile()
    {
        var dir = Path.Combine(_root, "notgz");
        DatasetFiles.Write(SimTestWorlds.Dataset, dir);
        File.WriteAllText(Path.Combine(dir, "world.jsonl.gz"), "plain text, not gzip");
        Should.Throw<InvalidDataException>(() => DatasetFiles.Read(dir)).Message.ShouldContain("world.jsonl.gz");
    }

    [Fact]
    public void Read_MissingProperty_NamesIt()
    {
        var dir = Path.Combine(_root, "prop");
        DatasetFiles.Write(SimTestWorlds.Dataset, dir);
        var path = Path.Combine(dir, "validation.jsonl.gz");
        var lines = ReadLines(path);
        lines[0] = lines[0].Replace("\"exposed\"", "\"shown\"", StringComparison.Ordinal);
        WriteLines(path, lines);
        var e = Should.Throw<InvalidDataException>(() => DatasetFiles.Read(dir));
        e.Message.ShouldContain("validation.jsonl.gz:1:");
        e.Message.ShouldContain("'exposed'");
    }

    [Fact]
    public void Read_TruncatedSplit_SaysSo()
    {
        var dir = Path.Combine(_root, "short");
        DatasetFiles.Write(SimTestWorlds.Dataset, dir);
        var path = Path.Combine(dir, "test.jsonl.gz");
        WriteLines(path, ReadLines(path)[..10]);
        var e = Should.Throw<InvalidDataException>(() => DatasetFiles.Read(dir));
        e.Message.ShouldContain("test.jsonl.gz: has 10 requests; dataset.json says 40");
    }

    [Fact]
    public void Write_ExistingFolder_Overwrites()
    {
        var dir = Path.Combine(_root, "again");
        DatasetFiles.Write(Simulator.Generate(SimTestWorlds.Small(), 9), dir);
        DatasetFiles.Write(SimTestWorlds.Dataset, dir);
        DatasetFiles.Read(dir).Seed.ShouldBe(7UL);
    }

    private static List<string> ReadLines(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static void WriteLines(string path, List<string> lines)
    {
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var writer = new StreamWriter(gz);
        writer.Write(string.Join('\n', lines) + "\n");
    }
}
