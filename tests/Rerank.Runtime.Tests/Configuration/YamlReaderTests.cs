using System.Text;
using Rerank.Abstractions;
using Rerank.Runtime.Configuration;
using Rerank.Testing;

namespace Rerank.Runtime.Tests.Configuration;

/// <summary>Hostile and malformed YAML ends in one clear error at the right place, never a crash or a blow-up.</summary>
public sealed class YamlReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rerank-yaml-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Parse_HundredThousandNestedBrackets_IsRefusedAtTheSixtyFifthLevel()
    {
        // The ~60 KB file of issue #16: 100,000 '[' after a key; it used to overflow the stack in YamlStream.
        var errors = new List<ConfigError>();

        var root = YamlReader.Parse("name: p\nstages: " + new string('[', 100_000) + "\n", "deep.yaml", errors);

        root.ShouldBeNull();
        var error = errors.ShouldHaveSingleItem();
        error.Location.ShouldBe(new SourceLocation("deep.yaml", 2, 9 + YamlLimits.MaxDepth - 1));
        error.Message.ShouldContain($"deeper than {YamlLimits.MaxDepth} levels");
    }

    [Fact]
    public void Parse_NestingAtTheLimit_IsAccepted()
    {
        var errors = new List<ConfigError>();
        var depth = YamlLimits.MaxDepth - 1; // the root mapping is one level

        var root = YamlReader.Parse("a: " + new string('[', depth) + new string(']', depth) + "\n", "ok.yaml", errors);

        errors.ShouldBeEmpty();
        root.ShouldNotBeNull();
    }

    [Fact]
    public void Parse_BillionLaughs_IsRefusedAtTheAliasThatCrossesTheBudget()
    {
        // The 1.4 KB alias bomb of issue #16: nine levels of ten aliases each would expand to 10^9 nodes.
        var yaml = HostileYaml.BillionLaughs();
        yaml.Length.ShouldBeLessThan(1500);
        var errors = new List<ConfigError>();

        var root = YamlReader.Parse(yaml, "bomb.yaml", errors);

        root.ShouldBeNull();
        var error = errors.ShouldHaveSingleItem();
        error.Message.ShouldContain("aliases may repeat a block, not multiply the file");
        error.Location.Line.ShouldBeGreaterThan(1);
    }

    [Fact]
    public void Parse_AliasBombInParams_CannotReachToParam()
    {
        // ToParam expands aliases; the guard must stop the file before it gets there.
        Should.Throw<ConfigException>(() => YamlParams.Parse(HostileYaml.BillionLaughs(), "params.yaml"))
            .Message.ShouldContain("aliases may repeat a block");
    }

    [Fact]
    public void Parse_SmallAliases_ExpandAsBefore()
    {
        var parameters = YamlParams.Parse("a: &ctx { x: 1, y: 2 }\nb: *ctx\n", "ok.yaml");

        var b = parameters.Entries[1].Value.ShouldBeOfType<ParamMapping>();
        b.Entries.Select(e => e.Key).ShouldBe(["x", "y"]);
    }

    [Fact]
    public void Parse_UnknownAlias_PointsAtTheAlias()
    {
        var errors = new List<ConfigError>();

        YamlReader.Parse("name: x\nstages:\n  - generate: *nope\n", "p.yaml", errors);

        var error = errors.ShouldHaveSingleItem();
        error.ToString().ShouldBe("p.yaml:3:15: unknown alias '*nope': no anchor '&nope' is defined before it");
    }

    [Fact]
    public void Parse_SelfReferentialAnchor_IsAnUnknownAlias()
    {
        var errors = new List<ConfigError>();

        YamlReader.Parse("a: &loop [ *loop ]\n", "p.yaml", errors);

        errors.ShouldHaveSingleItem().Message.ShouldContain("unknown alias '*loop'");
    }

    [Theory]
    [InlineData("name: x\nstages:\n\t- generate: {}\n", 3, 1)]
    [InlineData("name: x\nstages:\n  - generate:\n  \t  use: a\n", 4, 3)]
    public void Parse_TabIndentation_PointsAtTheTab(string yaml, int line, int column)
    {
        var errors = new List<ConfigError>();

        YamlReader.Parse(yaml, "p.yaml", errors);

        var error = errors.ShouldHaveSingleItem();
        error.Location.ShouldBe(new SourceLocation("p.yaml", line, column));
        error.Message.ShouldContain("indents with spaces only");
    }

    [Fact]
    public void Parse_UnclosedBraceThenListItem_NamesTheBraceAndWhereItFailed()
    {
        // Issue #16 item 4: YamlDotNet throws InvalidOperationException with no location for this one.
        var errors = new List<ConfigError>();

        YamlReader.Parse("name: x\nstages:\n  - generate: { use: a\n  - truncate:\n", "p.yaml", errors);

        var error = errors.ShouldHaveSingleItem();
        error.Location.Line.ShouldBeGreaterThanOrEqualTo(3);
        error.Message.ShouldContain("malformed YAML");
        error.Message.ShouldContain("the '{' opened at 3:15 is not closed");
    }

    [Fact]
    public void Parse_SecondDocument_IsRefusedWhereItStarts()
    {
        var errors = new List<ConfigError>();

        YamlReader.Parse("name: x\n---\nname: y\n", "p.yaml", errors);

        var error = errors.ShouldHaveSingleItem();
        error.Location.ShouldBe(new SourceLocation("p.yaml", 2, 1));
        error.Message.ShouldContain("one YAML document");
    }

    [Fact]
    public void Parse_ExplicitSingleDocument_IsAccepted()
    {
        var errors = new List<ConfigError>();

        var root = YamlReader.Parse("---\nname: x\n...\n", "p.yaml", errors);

        errors.ShouldBeEmpty();
        root.ShouldNotBeNull();
    }

    [Fact]
    public void Parse_DuplicateKey_NamesBothPlaces()
    {
        var errors = new List<ConfigError>();

        YamlReader.Parse("name: x\nstages: []\nname: y\n", "p.yaml", errors);

        errors.ShouldHaveSingleItem().ToString().ShouldBe("p.yaml:3:1: duplicate key 'name' (first at 1:1)");
    }

    [Theory]
    [InlineData("? [a, b]\n: c\n")]
    [InlineData("{[a]: b}: c\n")]
    [InlineData("a: &x 1\n*x : 2\n")]
    public void Parse_NonScalarKey_IsRefused(string yaml)
    {
        var errors = new List<ConfigError>();

        YamlReader.Parse(yaml, "p.yaml", errors);

        errors.ShouldHaveSingleItem().Message.ShouldContain("mapping key must be a plain string");
    }

    [Fact]
    public void Load_NonUtf8Bytes_PointsAtTheByte()
    {
        var path = Path.Combine(_folder, "latin1.yaml");
        File.WriteAllBytes(path, [.. Encoding.ASCII.GetBytes("name: x\ndescription: caf"), 0xE9, .. Encoding.ASCII.GetBytes("\n")]);
        var errors = new List<ConfigError>();

        YamlReader.Load(path, "latin1.yaml", errors).ShouldBeNull();

        var error = errors.ShouldHaveSingleItem();
        error.Location.ShouldBe(new SourceLocation("latin1.yaml", 2, 17));
        error.Message.ShouldContain("not UTF-8: 0xE9");
    }

    [Fact]
    public void Load_Utf8WithBom_IsAccepted()
    {
        var path = Path.Combine(_folder, "bom.yaml");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("name: café\n")]);
        var errors = new List<ConfigError>();

        var root = YamlReader.Load(path, "bom.yaml", errors);

        errors.ShouldBeEmpty();
        root!.Children.Count.ShouldBe(1);
    }

    [Fact]
    public void Load_FileOverTheSizeLimit_IsRefusedWithoutParsing()
    {
        var path = Path.Combine(_folder, "big.yaml");
        File.WriteAllText(path, "a: '" + new string('x', YamlLimits.MaxBytes) + "'\n");
        var errors = new List<ConfigError>();

        YamlReader.Load(path, "big.yaml", errors).ShouldBeNull();

        errors.ShouldHaveSingleItem().Message.ShouldContain($"limited to {YamlLimits.MaxBytes:N0} bytes");
    }

    [Fact]
    public void Load_MissingFile_SaysSo()
    {
        var errors = new List<ConfigError>();

        YamlReader.Load(Path.Combine(_folder, "none.yaml"), "none.yaml", errors).ShouldBeNull();

        errors.ShouldHaveSingleItem().Message.ShouldBe("file not found: none.yaml");
    }
}
