namespace Rerank.Engine;

/// <summary>One recorded op: its inputs and the closure that turns the output's gradient into the inputs' gradients.</summary>
internal sealed class TapeNode(string op, Tensor[] inputs, Action<Tensor> backward)
{
    public string Op { get; } = op;

    public Tensor[] Inputs { get; } = inputs;

    public Action<Tensor> Backward { get; } = backward;
}
