using System.Text;

namespace Rerank.Runtime.IO;

/// <summary>Writes files so that a reader never sees a half-written one: write a temp file beside the target, then rename over it.</summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="contents"/> (UTF-8) to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void WriteAllText(string path, string contents) =>
        Write(path, stream =>
        {
            var bytes = Utf8NoBom.GetBytes(contents);
            stream.Write(bytes);
        });

    /// <summary>Writes through <paramref name="write"/> into a temp file, flushes it to disk and renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
