namespace Rerank.Runtime.Plugins;

/// <summary>Why one plugin folder was refused; the loader turns it into a Failed <see cref="LoadedPlugin"/> and moves on.</summary>
internal sealed class PluginLoadException : Exception
{
    /// <summary>Creates the exception with the cause (one line, without the plugin's name: the loader adds it).</summary>
    public PluginLoadException(string cause)
        : base(cause)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PluginLoadException()
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public PluginLoadException(string cause, Exception inner)
        : base(cause, inner)
    {
    }

    /// <summary>Folds a multi-line message into one line.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Describes an exception thrown by plugin code: type and message, innermost reflection wrapper removed.</summary>
    public static string Describe(Exception exception)
    {
        while (exception is System.Reflection.TargetInvocationException { InnerException: { } inner })
        {
            exception = inner;
        }

        return $"{exception.GetType().Name}: {OneLine(exception.Message)}";
    }
}
