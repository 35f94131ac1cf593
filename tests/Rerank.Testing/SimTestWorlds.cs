using Rerank.Simulation;

namespace Rerank.Testing;

/// <summary>Small, fast simulator settings and cached datasets shared by the simulation tests.</summary>
public static class SimTestWorlds
{
    private static readonly Lazy<SimulatedDataset> SmallDataset = new(() => Simulator.Generate(Small(), 7));

    /// <summary>A small world: 200 items, 50 users, short streams, few requests.</summary>
    public static SimulatorOptions Small() => new()
    {
        Items = 200,
        Users = 50,
        Categories = 8,
        StreamLength = 80,
        HistoryLength = 20,
        Candidates = 10,
        SlateSize = 5,
        TrainRequests = 300,
        ValidationRequests = 50,
        TestRequests = 40,
    };

    /// <summary>A cached dataset of <see cref="Small"/> under seed 7 (do not modify).</summary>
    public static SimulatedDataset Dataset => SmallDataset.Value;

    /// <summary>Test requests only, with the given list model knobs.</summary>
    public static SimulatedDataset TestOnly(int requests, int candidates, int slate, Action<SimulatorOptions>? configure = null, ulong seed = 11)
    {
        var o = new SimulatorOptions
        {
            Candidates = candidates,
            SlateSize = slate,
            TrainRequests = 0,
            ValidationRequests = 0,
            TestRequests = requests,
        };
        configure?.Invoke(o);
        return Simulator.Generate(o, seed);
    }
}
