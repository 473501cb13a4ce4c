using System.Diagnostics;
using System.Globalization;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// Sends one endpoint its requests, one at a time (so whatever the server logs belongs to the request in
/// flight), and records every 5xx, 429, exception reaching the client, and error logged with an exception.
/// </summary>
internal sealed class FuzzRunner(FuzzServer server, FuzzCallers callers)
{
    /// <summary>
    /// Errors ASP.NET Core itself logs for input it then handles: the antiforgery system logs a cookie or
    /// token it cannot decrypt (garbage, or another key ring's) at Error, and the request goes on to a 400
    /// or to a page that never needed the token. Matched on the exact message, nothing broader.
    /// </summary>
    private static readonly string[] Tolerated =
    [
        "Error Microsoft.AspNetCore.Antiforgery.DefaultAntiforgery: An exception was thrown while deserializing the token.\nMicrosoft.AspNetCore.Antiforgery.AntiforgeryValidationException: The antiforgery token could not be decrypted.",
    ];

    /// <summary>How often the callers are put back (signed in again, unlocked) between random requests.</summary>
    private const int RepairEvery = 50;

    public async Task<FuzzReport> RunAsync(FuzzTarget target, int seed, int count)
    {
        var generator = new RequestGenerator(new FuzzInput(new Random(seed)), callers);
        var report = new FuzzReport(target);
        using var client = server.CreateDefaultClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (i % RepairEvery == 0)
            {
                await callers.RepairAsync();
                foreach (var error in server.Errors.Drain())
                {
                    report.Add("while signing the callers in again: " + Signature(error), Indent(error));
                }
            }

            var request = generator.Next(target);
            var (status, failure) = await SendAsync(client, request);
            report.Count(status);
            var errors = server.Errors.Drain().Where(e => !Tolerated.Any(t => e.StartsWith(t, StringComparison.Ordinal))).ToList();
            if (status >= 500 || status is 429 or -1 || errors.Count > 0)
            {
                var signature = $"{(status < 0 ? "exception" : status.ToString(CultureInfo.InvariantCulture))}: {Signature(failure ?? (errors.Count > 0 ? errors[0] : ""))}";
                report.Add(signature, $"request #{i} (seed {seed}): {request.Describe()}\n  → {status}\n{Indent(failure)}{string.Concat(errors.Select(Indent))}");
            }
        }

        report.Elapsed = clock.Elapsed;
        return report;
    }

    private static async Task<(int Status, string? Failure)> SendAsync(HttpClient client, FuzzRequest request)
    {
        try
        {
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message);
            await response.Content.ReadAsByteArrayAsync();
            return ((int)response.StatusCode, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (-1, e.ToString());
        }
    }

    /// <summary>What tells one failure from another: the exception's first line and the frame that threw it.</summary>
    private static string Signature(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        var exception = lines.FirstOrDefault(l => l.Contains("Exception: ", StringComparison.Ordinal)) ?? lines[0];
        var frame = lines.FirstOrDefault(l => l.StartsWith("at ", StringComparison.Ordinal)) ?? "";
        return $"{(exception.Length > 160 ? exception[..160] : exception)} {frame}";
    }

    private static string Indent(string? text) =>
        text is null ? "" : string.Concat(text.Split('\n').Take(80).Select(l => "    " + l.TrimEnd() + "\n"));
}
