namespace Rerank.Plugins.DeGRe;

/// <summary>How the offline stage mines lookahead lists (§4.2).</summary>
/// <param name="Width">Beam width B.</param>
/// <param name="TopK">Per-beam pre-truncation: expansions kept per beam before the global top B (0 keeps all).</param>
/// <param name="WeightTemperature">τ_w of the sequence weights (eq. 10).</param>
/// <param name="Chunk">Requests per mining batch; shards are cut on chunk boundaries so every chunk is computed identically.</param>
internal sealed record MiningOptions(int Width, int TopK, double WeightTemperature, int Chunk);
