using Rerank.Engine.IO;

namespace Rerank.Engine.Nn;

/// <summary>State dicts and checkpoints for any module.</summary>
public static class ModuleStateExtensions
{
    /// <summary>Parameter name → tensor (the live parameters, not copies).</summary>
    public static IReadOnlyDictionary<string, Tensor> StateDict(this Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in module.NamedParameters())
        {
            dict.Add(name, value);
        }

        return dict;
    }

    /// <summary>
    /// Copies <paramref name="state"/> into the module's parameters after checking every name and shape; all
    /// mismatches (missing, unexpected, wrong shape) are reported together by name and nothing is changed.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Any name or shape disagrees.</exception>
    public static void LoadStateDict(this Module module, IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(state);
        var entries = state.Select(kv => new SafeTensorEntry(kv.Key, SafeTensorEntry.Float32, kv.Value.Shape.ToArray(), kv.Value)).ToList();
        Apply(module, entries, "state dict");
    }

    /// <summary>Writes the parameters (and <paramref name="metadata"/>) to a safetensors file, atomically.</summary>
    public static void Save(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(path, module.NamedParameters(), metadata);
    }

    /// <summary>Loads parameters from a safetensors file, checking names, shapes and dtypes; returns the file's metadata.</summary>
    /// <exception cref="CheckpointMismatchException">Any name, shape or dtype disagrees (all are listed).</exception>
    public static IReadOnlyDictionary<string, string> Load(this Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        var file = SafeTensors.Load(path);
        Apply(module, file.Entries, path);
        return file.Metadata;
    }

    /// <summary>Every name, dtype or shape of <paramref name="entries"/> that does not fit <paramref name="module"/>'s parameters, one line each.</summary>
    internal static List<string> Mismatches(Module module, IReadOnlyList<SafeTensorEntry> entries)
    {
        var expected = module.NamedParameters();
        var byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, p) in expected)
        {
            if (!byName.TryGetValue(name, out var e))
            {
                problems.Add($"{name}: missing (expected F32 {p.Shape})");
                continue;
            }

            if (e.Dtype != SafeTensorEntry.Float32)
            {
                problems.Add($"{name}: dtype {e.Dtype}, expected F32");
            }

            if (!e.Shape.AsSpan().SequenceEqual(p.Shape.ToArray()))
            {
                problems.Add($"{name}: shape [{string.Join(", ", e.Shape)}], expected {p.Shape}");
            }
        }

        var known = expected.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(entries.Where(e => !known.Contains(e.Name)).Select(e => $"{e.Name}: unexpected (not a parameter of {module.GetType().Name})"));
        return problems;
    }

    /// <summary>Copies <paramref name="entries"/> into the parameters of the same names (after <see cref="Mismatches"/> found none).</summary>
    internal static void CopyInto(Module module, IReadOnlyList<SafeTensorEntry> entries)
    {
        var byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var (name, p) in module.NamedParameters())
        {
            Tensor.CopyAcross(byName[name].Data!, p);
        }
    }

    private static void Apply(Module module, IReadOnlyList<SafeTensorEntry> entries, string source)
    {
        var problems = Mismatches(module, entries);
        if (problems.Count > 0)
        {
            throw new CheckpointMismatchException(source, problems);
        }

        CopyInto(module, entries);
    }
}
