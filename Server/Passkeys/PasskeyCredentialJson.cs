using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace IdentityServer.Passkeys;

/// <summary>
/// The few fields of a browser's credential JSON (<c>PublicKeyCredential.toJSON()</c>) this server reads besides
/// Identity: the challenge it answers, the user handle (to count failures per account before the signature is
/// checked) and the authenticator's user-verified flag. Anything malformed reads as absent.
/// </summary>
internal sealed record PasskeyCredentialJson(string? Challenge, string? UserHandle, bool UserVerified)
{
    /// <summary>Bytes 0–31 of authenticator data are the RP id hash; byte 32 holds the flags, 0x04 is UV.</summary>
    private const int FlagsOffset = 32;

    /// <summary>Generous for any real credential (ids are at most 1,023 bytes, signatures and keys far less).</summary>
    public const int MaximumLength = 16384;
    private const byte UserVerifiedFlag = 0x04;

    public static PasskeyCredentialJson Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new(null, null, false);
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object)
            {
                return new(null, null, false);
            }

            var clientData = Bytes(response, "clientDataJSON");
            string? challenge = null;
            if (clientData is not null)
            {
                using var client = JsonDocument.Parse(clientData);
                challenge = client.RootElement.ValueKind == JsonValueKind.Object && client.RootElement.TryGetProperty("challenge", out var c)
                    && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            }

            var handle = Bytes(response, "userHandle");
            var authenticatorData = Bytes(response, "authenticatorData");
            return new(
                challenge,
                handle is null ? null : Encoding.UTF8.GetString(handle),
                authenticatorData is { Length: > FlagsOffset } && (authenticatorData[FlagsOffset] & UserVerifiedFlag) != 0);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Valid JSON may still escape a lone surrogate ("\ud800"), which GetString refuses with InvalidOperationException.
            return new(null, null, false);
        }
    }

    private static byte[]? Bytes(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString()!;
        return Base64Url.IsValid(text) ? Base64Url.DecodeFromChars(text) : null;
    }
}
