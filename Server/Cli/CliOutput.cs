using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdentityServer.Cli;

/// <summary>
/// What a verb prints: lines for people, or with <c>--json</c> one JSON document (lists as arrays) for scripts.
/// Results go to stdout; failures are one line on stderr (see <see cref="CommandLine"/>).
/// </summary>
internal static class CliOutput
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the result as JSON (lists as arrays) instead of text.",
        Recursive = true,
    };

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // Read in a terminal or by a script, never embedded in HTML: "at+jwt", not "at\u002Bjwt".
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static bool IsJson(ParseResult result) => result.GetValue(Json);

    /// <summary>Prints <paramref name="value"/> as JSON with <c>--json</c>, otherwise the lines <paramref name="text"/> gives.</summary>
    public static int Print<T>(ParseResult result, T value, Func<T, IEnumerable<string>> text)
    {
        if (IsJson(result))
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));
        }
        else
        {
            foreach (var line in text(value))
            {
                Console.Out.WriteLine(line);
            }
        }

        return 0;
    }

    public static string Serialize<T>(T value, JsonSerializerOptions? options = null) => JsonSerializer.Serialize(value, options ?? Options);

    /// <summary>Fixed-width columns, the last one free: readable in a terminal, and easy to cut.</summary>
    public static IEnumerable<string> Table(IEnumerable<string?[]> rows)
    {
        var all = rows.ToList();
        if (all.Count == 0)
        {
            yield break;
        }

        var widths = Enumerable.Range(0, all[0].Length - 1).Select(i => all.Max(r => (r[i] ?? "-").Length)).ToList();
        foreach (var row in all)
        {
            yield return string.Join("  ", row.Select((cell, i) => i < widths.Count ? (cell ?? "-").PadRight(widths[i]) : cell ?? "-")).TrimEnd();
        }
    }
}
