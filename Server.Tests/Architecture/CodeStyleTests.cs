using System.Text.RegularExpressions;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Architecture;

/// <summary>
/// The two habits the compiler's style rules cannot see (EnforceCodeStyleInBuild covers the rest): usings
/// sorted with System first, and no namespace written out in code where a using would do.
/// </summary>
public sealed partial class CodeStyleTests
{
    [Fact]
    public void UsingsAreSortedWithSystemFirst()
    {
        var unsorted = Repository.WrittenSources().Where(file =>
        {
            var usings = File.ReadLines(file).SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal)).ToList();
            return !usings.SequenceEqual(usings.OrderBy(Group).ThenBy(SystemFirst).ThenBy(Name, StringComparer.OrdinalIgnoreCase));
        }).Select(file => Path.GetRelativePath(Repository.Root, file)).ToList();

        Assert.True(unsorted.Count == 0, "Sort the usings (System first, then A–Z; static, then aliases, last) in: " + string.Join(", ", unsorted));
    }

    [Fact]
    public void NoNamespaceIsWrittenOutInCode()
    {
        var found = Repository.WrittenSources().SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => !Directive().IsMatch(l.line) && !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .Where(l => Qualified().IsMatch(StringLiteral().Replace(l.line, "\"\"")))
            .Select(l => $"{Path.GetRelativePath(Repository.Root, l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();

        Assert.True(found.Count == 0, "Import the namespace (or alias the type) instead of writing it out:\n" + string.Join("\n", found));
    }

    private static int Group(string line) => line.StartsWith("using static ", StringComparison.Ordinal) ? 1 : line.Contains(" = ", StringComparison.Ordinal) ? 2 : 0;

    /// <summary>What is imported: <c>using static A.B;</c> → <c>A.B</c>, so a namespace sorts before the ones inside it.</summary>
    private static string Name(string line) => line.Replace("using static ", "", StringComparison.Ordinal).Replace("using ", "", StringComparison.Ordinal).TrimEnd(';');

    private static int SystemFirst(string line) => line.StartsWith("using System;", StringComparison.Ordinal) || line.StartsWith("using System.", StringComparison.Ordinal) ? 0 : 1;

    [GeneratedRegex(@"(?<![\w.@])(System|Microsoft|OpenIddict|IdentityServer)\.[A-Za-z]\w*\.[A-Za-z]")]
    private static partial Regex Qualified();

    /// <summary>A using or namespace directive (a "using var" statement is code).</summary>
    [GeneratedRegex(@"^\s*(using\s+(static\s+)?[\w.]+(\s*=\s*[\w.]+)?;|namespace\s+[\w.]+;)\s*$")]
    private static partial Regex Directive();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();
}
