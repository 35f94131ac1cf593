namespace Rerank.Plugins.Pear;

/// <summary>The feature-level interaction module of PEAR (§3.2): any feature-interaction network may serve.</summary>
public enum FeatureInteraction
{
    /// <summary>The paper's choice: a two-layer MLP, Z = W₂ σ(W₁ X + b₁) + b₂ (eq. 1).</summary>
    Mlp,

    /// <summary>A DCN cross network over X followed by a linear map to d (the paper names DCN as an alternative).</summary>
    Dcn,
}
