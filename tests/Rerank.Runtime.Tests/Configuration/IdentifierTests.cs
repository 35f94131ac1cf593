using Rerank.Runtime.Configuration;

namespace Rerank.Runtime.Tests.Configuration;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("quickstart")]
    [InlineData("degre-g-b8+ctx")]
    [InlineData("sortgen-lambda-0.9")]
    [InlineData("DeGRe-E+ctx")]
    [InlineData("nar4rec-wo-contrastive-losses")]
    [InlineData("a_b")]
    [InlineData("7")]
    public void IsValid_LettersDigitsAndDotUnderscorePlusMinus_True(string name) => Identifier.IsValid(name).ShouldBeTrue();

    [Theory]
    [InlineData("../../../../tmp/escaped-exp")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData(".hidden")]
    [InlineData("-flag")]
    [InlineData("w/o hard label")]
    [InlineData("nar4rec-w/o-unlikelihood")]
    [InlineData("exposure only")]
    [InlineData("a\\b")]
    [InlineData("C:x")]
    [InlineData("name\n")]
    [InlineData("")]
    public void IsValid_PathLikeOrSpaced_False(string name) => Identifier.IsValid(name).ShouldBeFalse();

    [Fact]
    public void IsValid_Length_AtMost64()
    {
        Identifier.IsValid(new string('a', 64)).ShouldBeTrue();
        Identifier.IsValid(new string('a', 65)).ShouldBeFalse();
    }

    [Fact]
    public void Message_NamesTheThingAndStatesTheRule() =>
        Identifier.Message("experiment", "../../x")
            .ShouldBe("experiment: name '../../x' is not an identifier: use letters, digits and . _ + - (at most 64, starting with a letter or digit)");
}
