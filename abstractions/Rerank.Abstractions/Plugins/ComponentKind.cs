namespace Rerank.Abstractions;

/// <summary>The kinds of component a plugin can register; each maps to one contract interface.</summary>
public enum ComponentKind
{
    /// <summary><see cref="IGenerator"/>.</summary>
    Generator,

    /// <summary><see cref="IEvaluator"/>.</summary>
    Evaluator,

    /// <summary><see cref="IDecoder"/>.</summary>
    Decoder,

    /// <summary><see cref="IDiversifier"/>.</summary>
    Diversifier,

    /// <summary><see cref="IStepScorer"/>.</summary>
    Scorer,
}

/// <summary>Maps component kinds to their contract types.</summary>
public static class ComponentKinds
{
    /// <summary>The contract interface of <paramref name="kind"/>.</summary>
    public static Type ContractOf(ComponentKind kind) => kind switch
    {
        ComponentKind.Generator => typeof(IGenerator),
        ComponentKind.Evaluator => typeof(IEvaluator),
        ComponentKind.Decoder => typeof(IDecoder),
        ComponentKind.Diversifier => typeof(IDiversifier),
        ComponentKind.Scorer => typeof(IStepScorer),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown component kind."),
    };

    /// <summary>The kind whose contract is <paramref name="contract"/>, or <see langword="null"/>.</summary>
    public static ComponentKind? KindOf(Type contract) =>
        Enum.GetValues<ComponentKind>().Cast<ComponentKind?>().FirstOrDefault(k => ContractOf(k!.Value) == contract);

    /// <summary>The YAML word for a kind (<c>generator</c>, …).</summary>
    public static string Word(this ComponentKind kind) => kind.ToString().ToLowerInvariant();
}
