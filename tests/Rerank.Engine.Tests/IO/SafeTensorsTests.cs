using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Rerank.Engine.IO;
using Rerank.Engine.Nn;

namespace Rerank.Engine.Tests;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rerank-st-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void SaveLoad_RoundTrip_RestoresValuesAndMetadata()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        var model = new TransformerEncoder(1, 4, 2, 8, new Rng(1));
        model.Save(path, new Dictionary<string, string> { ["plugin"] = "nar4rec@1.0.0", ["d_model"] = "4" });
        var other = new TransformerEncoder(1, 4, 2, 8, new Rng(2));
        var meta = other.Load(path);
        meta["plugin"].ShouldBe("nar4rec@1.0.0");
        foreach (var (name, p) in model.NamedParameters())
        {
            other.StateDict()[name].ToArray().ShouldBe(p.ToArray(), name);
        }

        Directory.EnumerateFiles(_dir).ShouldHaveSingleItem();
    }

    [Fact]
    public void Save_File_FollowsSafetensorsLayoutRules()
    {
        // The rules the Python/Rust safetensors reader enforces: u64 LE header length N; N bytes of UTF-8 JSON
        // (object; padded with spaces to 8 bytes); each tensor has exactly dtype, shape, data_offsets; offsets are
        // relative to the data section, sorted they tile it with no gap or overlap, and end-begin = numel·sizeof(dtype);
        // __metadata__ is a string→string map.
        var path = Path.Combine(_dir, "layout.safetensors");
        var a = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], GradCheck.S(2, 3));
        var b = Tensor.FromArray([-1.5f]);
        SafeTensors.Save(path, [new("b", b), new("a", a)], new Dictionary<string, string> { ["format"] = "pt" });
        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        (n % 8).ShouldBe(0);
        var json = Encoding.UTF8.GetString(bytes, 8, n);
        json.ShouldStartWith("{");
        using var doc = JsonDocument.Parse(json.TrimEnd(' '));
        var data = bytes.Length - 8 - n;
        var spans = new List<(long, long)>();
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            if (prop.Name == "__metadata__")
            {
                prop.Value.EnumerateObject().ShouldAllBe(m => m.Value.ValueKind == JsonValueKind.String);
                continue;
            }

            prop.Value.EnumerateObject().Select(p => p.Name).OrderBy(x => x).ShouldBe(["data_offsets", "dtype", "shape"]);
            prop.Value.GetProperty("dtype").GetString().ShouldBe("F32");
            var numel = prop.Value.GetProperty("shape").EnumerateArray().Aggregate(1L, (x, d) => x * d.GetInt64());
            var off = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            (off[1] - off[0]).ShouldBe(numel * 4);
            spans.Add((off[0], off[1]));
        }

        long cursor = 0;
        foreach (var (begin, end) in spans.OrderBy(s => s.Item1))
        {
            begin.ShouldBe(cursor);
            cursor = end;
        }

        cursor.ShouldBe(data);
        var aOffset = doc.RootElement.GetProperty("a").GetProperty("data_offsets")[0].GetInt32();
        BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + n + aOffset + 4)).ShouldBe(2f);
    }

    [Fact]
    public void Load_HandWrittenPythonStyleFile_ReadsValues()
    {
        // Exactly what safetensors.numpy.save_file({"x": np.array([[1, 2]], dtype=np.float32)}) produces, header unpadded.
        var header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}"u8.ToArray();
        var bytes = new byte[8 + header.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + header.Length), 1f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(12 + header.Length), 2f);
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "py.safetensors");
        File.WriteAllBytes(path, bytes);
        var file = SafeTensors.Load(path);
        file.Entries.ShouldHaveSingleItem().Data!.ToArray().ShouldBe([1f, 2f]);
    }

    [Fact]
    public void Load_Mismatches_ReportsEveryOneByName()
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        SafeTensors.Save(path, [new("weight", Tensor.Zeros(3, 2)), new("extra", Tensor.Zeros(1))]);
        var model = new Linear(2, 2, new Rng(1));
        var before = model.Weight.ToArray();
        var e = Should.Throw<CheckpointMismatchException>(() => model.Load(path));
        e.Mismatches.ShouldContain(m => m.StartsWith("weight: shape [3, 2]", StringComparison.Ordinal));
        e.Mismatches.ShouldContain(m => m.StartsWith("bias: missing", StringComparison.Ordinal));
        e.Mismatches.ShouldContain(m => m.StartsWith("extra: unexpected", StringComparison.Ordinal));
        model.Weight.ToArray().ShouldBe(before);
    }

    [Fact]
    public void Load_WrongDtype_ReportsDtype()
    {
        var header = "{\"weight\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}"u8.ToArray();
        var bytes = new byte[8 + header.Length + 2];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "f16.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Should.Throw<CheckpointMismatchException>(() => new Linear(1, 1, new Rng(1), bias: false).Load(path));
        e.Mismatches.ShouldContain("weight: dtype F16, expected F32");
    }

    [Fact]
    public void Load_TruncatedFile_ThrowsInvalidData()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        SafeTensors.Save(path, [new("w", Tensor.Zeros(4))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        Should.Throw<InvalidDataException>(() => SafeTensors.Load(path)).Message.ShouldContain("'w'");
    }

    [Fact]
    public void Load_ForeignTextFile_SaysNotSafetensorsWithoutItsBytes()
    {
        // /etc/passwd-like text: its first 8 bytes, read as the header length, used to be printed as a number.
        var path = Path.Combine(_dir, "passwd");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(path, "root:x:0:0:root:/root:/bin/bash\n");
        var asNumber = BinaryPrimitives.ReadUInt64LittleEndian(Encoding.ASCII.GetBytes("root:x:0")).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var message = Should.Throw<InvalidDataException>(() => SafeTensors.Load(path)).Message;

        message.ShouldBe($"'{path}' is not a safetensors file (header length field out of range)");
        message.ShouldNotContain(asNumber);
        message.ShouldNotContain("bash");
    }

    [Fact]
    public void Load_HeaderThatIsNotJson_PositionOnlyNoContent()
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        Directory.CreateDirectory(_dir);
        var header = "{\"w\": SECRETVALUE}"u8.ToArray();
        var bytes = new byte[8 + header.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);

        var message = Should.Throw<InvalidDataException>(() => SafeTensors.Load(path)).Message;

        message.ShouldStartWith($"'{path}' is not a safetensors file (header is not valid JSON near line 1, byte ");
        message.ShouldNotContain("SECRET", Case.Insensitive);
        message.ShouldNotContain("'S'");
    }

    [Fact]
    public void Load_ShorterThanTheLengthField_NotSafetensors()
    {
        var path = Path.Combine(_dir, "short");
        Directory.CreateDirectory(_dir);
        File.WriteAllBytes(path, [1, 2, 3]);

        Should.Throw<InvalidDataException>(() => SafeTensors.Load(path)).Message
            .ShouldBe($"'{path}' is not a safetensors file (shorter than the 8-byte header length field)");
    }
}
