using System.IO.Compression;

namespace Rerank.Runtime.Plugins.Inspection;

/// <summary>
/// Reads a plugin package: a <c>.nupkg</c> (a zip) whose <c>plugin/</c> folder holds the laid-out plugin (plugin.yaml, the
/// assembly, its .deps.json, private dependencies, <c>runtimes/</c>). Only <c>plugin/**</c> is extracted; entries that would
/// land outside the target folder, and archives past the size limits, are refused before anything is trusted.
/// </summary>
public static class PluginPackage
{
    /// <summary>The folder inside the package that holds the plugin.</summary>
    public const string Root = "plugin/";

    /// <summary>The most files a package may hold under <see cref="Root"/>.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>The most bytes <see cref="Root"/> may expand to.</summary>
    public const long MaxBytes = 1L << 30;

    /// <summary>
    /// Extracts the plugin of <paramref name="nupkg"/> to <c>&lt;destination&gt;/&lt;id&gt;/&lt;version&gt;/</c> (id and version from
    /// its plugin.yaml) and returns that folder; when the manifest cannot be read it stays in a staging folder under
    /// <paramref name="destination"/>, which is returned instead (the check then reports the manifest's error).
    /// </summary>
    /// <exception cref="InvalidDataException">Not a zip, no <c>plugin/plugin.yaml</c>, an entry escaping the folder, or too large.</exception>
    public static string Extract(string nupkg, string destination)
    {
        ArgumentNullException.ThrowIfNull(nupkg);
        var name = Path.GetFullPath(nupkg);
        var staging = Path.Combine(destination, ".staging-" + Guid.NewGuid().ToString("N"));
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(nupkg);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{name} is not a Rerank plugin package: it is not a zip archive ({e.Message})", e);
        }

        using (archive)
        {
            var entries = archive.Entries.Where(e => EntryName(e).StartsWith(Root, StringComparison.Ordinal) && !EntryName(e).EndsWith('/')).ToList();
            if (!entries.Any(e => EntryName(e) == Root + PluginManifest.FileName))
            {
                throw new InvalidDataException($"{name} is not a Rerank plugin package: it has no {Root}{PluginManifest.FileName}");
            }

            if (entries.Count > MaxEntries)
            {
                throw new InvalidDataException($"{name} holds {entries.Count} files under {Root}, more than the {MaxEntries} a plugin may have; refusing it");
            }

            Directory.CreateDirectory(staging);
            var budget = MaxBytes;
            foreach (var entry in entries)
            {
                var relative = EntryName(entry)[Root.Length..];
                var target = Path.GetFullPath(Path.Combine(staging, relative));
                if (Path.IsPathRooted(relative) || !target.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"{name}: entry '{entry.FullName}' would be written outside the plugin folder; refusing the package");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                budget -= Copy(entry, target, budget, name);
            }
        }

        PluginManifest manifest;
        try
        {
            manifest = PluginManifestReader.Read(staging);
        }
        catch (PluginLoadException)
        {
            return staging;
        }

        var folder = Path.Combine(destination, manifest.Id, manifest.Version.ToNormalizedString());
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        Directory.Move(staging, folder);
        return folder;
    }

    /// <summary>Copies one entry, counting the bytes actually written (the sizes in the archive's headers are not trusted).</summary>
    private static long Copy(ZipArchiveEntry entry, string target, long budget, string name)
    {
        using var input = entry.Open();
        using var output = File.Create(target);
        var buffer = new byte[81920];
        long written = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            written += read;
            if (written > budget)
            {
                throw new InvalidDataException($"{name} expands to more than {MaxBytes >> 20} MiB under {Root}; refusing it");
            }

            output.Write(buffer, 0, read);
        }

        return written;
    }

    private static string EntryName(ZipArchiveEntry entry) => entry.FullName.Replace('\\', '/');
}
