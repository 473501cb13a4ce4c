using System.Net.Http.Headers;
using System.Text.Json;

namespace IdentityServer.Registration;

/// <summary>
/// Reads a registration request's body: JSON (RFC 7591 §3.1) in UTF-8, a single object, at most <see cref="MaxBytes"/>.
/// Anything else is a 4xx that says what was wrong; the body is never bound by the framework, whose failures would
/// be answers in another shape.
/// </summary>
internal static class JsonBody
{
    /// <summary>Far above a real registration (a few hundred bytes), far below what would cost the server anything.</summary>
    public const int MaxBytes = 16 * 1024;

    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 8 };

    public static async Task<(JsonDocument? Document, RegistrationError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return (null, new RegistrationError(RegistrationError.InvalidClientMetadata,
                "The request body must be JSON, sent with Content-Type: application/json.", StatusCodes.Status415UnsupportedMediaType));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return (null, TooLarge());
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException)
        {
            return (null, RegistrationError.Metadata("The request body could not be read."));
        }

        try
        {
            var document = JsonDocument.Parse(buffer.ToArray(), Parsing);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return (document, null);
            }

            document.Dispose();
        }
        catch (JsonException)
        {
            // Malformed JSON, invalid UTF-8 or nesting deeper than a registration has: the same answer as a non-object.
        }

        return (null, RegistrationError.Metadata("The request body must be one JSON object of client metadata (RFC 7591 §2)."));
    }

    private static RegistrationError TooLarge() => new(RegistrationError.InvalidClientMetadata,
        $"The request body must be at most {MaxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>application/json, with no charset or UTF-8's (RFC 8259 §8.1: JSON exchanged between systems is UTF-8).</summary>
    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
        && (type.CharSet is null || string.Equals(type.CharSet.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase));
}
