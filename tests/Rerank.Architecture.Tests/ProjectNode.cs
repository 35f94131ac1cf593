namespace Rerank.Architecture.Tests;

/// <summary>One project of the repository as its MSBuild files declare it.</summary>
/// <param name="Name">The project's file name without extension (how references name it).</param>
/// <param name="Path">The .csproj, relative to the repository root.</param>
/// <param name="References">Projects it compiles against (its own, its Directory.Build files' and its imports').</param>
/// <param name="BuildOrder">Projects it only builds first (<c>ReferenceOutputAssembly="false"</c>), e.g. plugins to lay out.</param>
/// <param name="AspNetCore">Whether it references ASP.NET Core (the shared framework or a Microsoft.AspNetCore package).</param>
internal sealed record ProjectNode(string Name, string Path, IReadOnlyList<string> References, IReadOnlyList<string> BuildOrder, bool AspNetCore);
