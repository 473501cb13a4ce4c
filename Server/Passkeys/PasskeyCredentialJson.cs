using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace IdentityServer.Passkeys;

/// <summary>
/// The few fields of a browser's credential JSON (<c>PublicKeyCredential.toJSON()</c>) this server reads besides
/// Identity: the challenge it answers, the user handle (to count failures per account before the signature is
/// checked) and the authenticator's user-verified flag. Identity reads the JSON ignoring the case of names, the
/// last of equal names winning; so an answer in which any object names a field twice, in any case, is
/// <see cref="Ambiguous"/> and refused before Identity sees it — otherwise what Identity verified and what this
/// server read could be two different fields. Anything malformed reads as absent.
/// </summary>
internal sealed record PasskeyCredentialJson(string? Challenge, string? UserHandle, bool UserVerified, bool Ambiguous = false)
{
    /// <summary>Generous for any real credential (ids are at most 1,023 bytes, signatures and keys far less).</summary>
    public const int MaximumLength = 16384;

    /// <summary>Bytes 0–31 of authenticator data are the RP id hash; byte 32 holds the flags, 0x04 is UV.</summary>
    private const int FlagsOffset = 32;
    private const byte UserVerifiedFlag = 0x04;

    private static readonly PasskeyCredentialJson Absent = new(null, null, false);
    private static readonly JsonDocumentOptions Limits = new() { MaxDepth = 16 };

    public static PasskeyCredentialJson Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return Absent;
        }

        try
        {
            using var document = JsonDocument.Parse(json, Limits);
            if (!Unambiguous(document.RootElement))
            {
                return Absent with { Ambiguous = true };
            }

            if (Property(document.RootElement, "response") is not { ValueKind: JsonValueKind.Object } response)
            {
                return Absent;
            }

            string? challenge = null;
            if (Bytes(response, "clientDataJSON") is { } clientData)
            {
                using var client = JsonDocument.Parse(clientData, Limits);
                if (!Unambiguous(client.RootElement))
                {
                    return Absent with { Ambiguous = true };
                }

                challenge = Property(client.RootElement, "challenge") is { ValueKind: JsonValueKind.String } c ? c.GetString() : null;
            }

            var handle = Bytes(response, "userHandle");
            var authenticatorData = Bytes(response, "authenticatorData");
            return new(
                challenge,
                handle is null ? null : Encoding.UTF8.GetString(handle),
                authenticatorData is { Length: > FlagsOffset } && (authenticatorData[FlagsOffset] & UserVerifiedFlag) != 0);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // InvalidOperationException: a string escaping a lone surrogate cannot be read as text.
            return Absent;
        }
    }

    /// <summary>No object, at any depth, names a property twice, whatever the case.</summary>
    private static bool Unambiguous(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Select(p => p.Name).All(new HashSet<string>(StringComparer.OrdinalIgnoreCase).Add)
            && element.EnumerateObject().All(p => Unambiguous(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(Unambiguous),
        _ => true,
    };

    /// <summary>The property of that name in any case, as Identity's reader finds it (names are unique by now).</summary>
    private static JsonElement? Property(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object
            ? parent.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Select(p => (JsonElement?)p.Value).FirstOrDefault()
            : null;

    private static byte[]? Bytes(JsonElement parent, string name)
    {
        if (Property(parent, name) is not { ValueKind: JsonValueKind.String } value)
        {
            return null;
        }

        var text = value.GetString()!;
        return Base64Url.IsValid(text) ? Base64Url.DecodeFromChars(text) : null;
    }
}
