using Rerank.Docs.Tests.Support;

namespace Rerank.Docs.Tests;

public sealed class MarkdownSnippetsTests
{
    [Fact]
    public void CSharp_MixedBlocks_OnlyCSharpWithTheLineOfTheirFirstCodeLine()
    {
        const string page = "# Title\n\n```bash\necho hi\n```\n\n```csharp\nclass A { }\n```\ntext\n```cs\nclass B { }\nclass C { }\n```\n";

        var snippets = MarkdownSnippets.CSharp(page);

        snippets.Select(s => (s.Line, s.Code)).ShouldBe([(8, "class A { }"), (12, "class B { }\nclass C { }")]);
    }

    [Fact]
    public void CSharp_UnclosedBlock_ThrowsNamingItsLine()
    {
        Should.Throw<FormatException>(() => MarkdownSnippets.CSharp("text\n```csharp\nclass A { }\n")).Message.ShouldContain("line 2");
    }
}
