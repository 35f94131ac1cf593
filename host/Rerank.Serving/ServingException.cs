namespace Rerank.Serving;

/// <summary>A serving graph could not be built or warmed; the message names the pipeline and the cause.</summary>
public sealed class ServingException : Exception
{
    /// <summary>A serving failure described by <paramref name="message"/>.</summary>
    public ServingException(string message)
        : base(message)
    {
    }

    /// <summary>A serving failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public ServingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
