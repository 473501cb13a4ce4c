using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;

namespace IdentityServer.Oidc;

/// <summary>
/// Values this server adds to an authorization request's address on the way back to it: after sign-in
/// (<see cref="Reauthentication"/>, for prompt=login) and after the consent form (<see cref="Consent"/>, the
/// person's answer). Each is protected with Data Protection, names the exact request (a hash of its protocol
/// parameters, so it cannot be moved to another), and expires after a few minutes.
/// </summary>
internal sealed class RequestMarkers(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string Reauthentication = "reauth";
    public const string Consent = "consent";
    private const string AntiforgeryField = "__RequestVerificationToken";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The parameters that name the request: everything but the markers and the anti-forgery token — and for a
    /// pushed request (RFC 9126) only client_id and request_uri, which name it whole: what it carries is the
    /// server's own record, and the way back to it stays short.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, StringValues>> ProtocolParameters(IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var own = parameters.Where(p => p.Key is not (Reauthentication or Consent or AntiforgeryField)).ToList();
        return own.Any(p => p.Key == OpenIddictConstants.Parameters.RequestUri)
            ? own.Where(p => p.Key is OpenIddictConstants.Parameters.ClientId or OpenIddictConstants.Parameters.RequestUri)
            : own;
    }

    public string Create(string purpose, IEnumerable<KeyValuePair<string, StringValues>> parameters, string payload) =>
        Protector(purpose).Protect(string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().ToUnixTimeSeconds()}|{Fingerprint(parameters)}|{payload}"));

    /// <summary>The marker of this purpose in the parameters, if it was made for exactly this request in the last few minutes.</summary>
    public (DateTimeOffset IssuedAt, string Payload)? Read(string purpose, IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var all = parameters.ToList();
        var value = all.FirstOrDefault(p => p.Key == purpose).Value.ToString();
        if (string.IsNullOrEmpty(value) || value.Length > 2048)
        {
            return null;
        }

        try
        {
            var parts = Protector(purpose).Unprotect(value).Split('|', 3);
            var issuedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0], CultureInfo.InvariantCulture));
            var now = time.GetUtcNow();
            return parts.Length == 3 && parts[1] == Fingerprint(all) && issuedAt <= now && now - issuedAt <= Lifetime
                ? (issuedAt, parts[2])
                : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static string Fingerprint(IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var text = string.Join('&', ProtocolParameters(parameters).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + string.Join(',', p.Value.Select(v => Uri.EscapeDataString(v ?? "")))));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private IDataProtector Protector(string purpose) => dataProtection.CreateProtector("IdentityServer.Authorize." + purpose);
}
