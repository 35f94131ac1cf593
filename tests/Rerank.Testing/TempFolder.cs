namespace Rerank.Testing;

/// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rerank-plugins-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Copies every file of <paramref name="source"/> (recursively) into <c>&lt;this&gt;/&lt;relative&gt;</c>; returns the target.</summary>
    public string CopyFrom(string source, string relative)
    {
        var target = System.IO.Path.Combine(Path, relative);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    /// <summary>Writes <paramref name="text"/> to <c>&lt;this&gt;/&lt;relative&gt;</c>, creating folders.</summary>
    public string Write(string relative, string text)
    {
        var to = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(to)!);
        File.WriteAllText(to, text);
        return to;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A loaded plugin may still map a file on some platforms; the temp folder is cleaned by the OS later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
