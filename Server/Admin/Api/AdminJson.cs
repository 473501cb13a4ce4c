using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdentityServer.Admin.Api;

/// <summary>
/// Reads a request body. Done here rather than by parameter binding so that every way a body can be wrong — not
/// JSON, the wrong shape, an unknown member, a null where a value belongs, too large — is a 400 ValidationProblem
/// naming the field, never a bare 400 or a 500.
/// </summary>
internal static class AdminJson
{
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        MaxDepth = 16,
    };

    public static async Task<(T? Value, ValidationProblem? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problem("body", "Send a JSON object with Content-Type: application/json."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, Problem("body", $"The body must be {MaxBodyBytes / 1024} KiB or smaller."));
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options);
            return value is null ? (null, Problem("body", "Send a JSON object, not null.")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, Problem(field, "This is not valid here: check the JSON syntax, the member's name and its type."));
        }
    }

    private static ValidationProblem Problem(string field, string message) =>
        AdminProblems.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
