namespace Rerank.Host.Serving;

/// <summary>A serving graph could not be built or warmed; the message names the pipeline and the cause.</summary>
internal sealed class ServingException : Exception
{
    public ServingException(string message)
        : base(message)
    {
    }

    public ServingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
