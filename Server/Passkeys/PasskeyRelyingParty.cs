using System.Net;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Passkeys;

/// <summary>
/// Who the passkeys belong to: the relying-party id that authenticators scope them to, and the origins whose
/// pages may use them. Both come from configuration (the issuer), never from a request's Host or Origin header:
/// Identity's defaults read those headers, which would let a relayed request choose what it is checked against.
/// Only in Development without an issuer does the request's own host stand in, as it does for the issuer.
/// </summary>
internal sealed class PasskeyRelyingParty(PasskeyOptions options, Uri? issuer)
{
    private readonly HashSet<string> origins = Origins(options, issuer);

    public string? Id { get; } = options.RelyingPartyId?.ToLowerInvariant() ?? issuer?.IdnHost.ToLowerInvariant();

    /// <summary>The start-up checks: the id must be the issuer's host or a parent domain of it, each origin on the id.</summary>
    public static IEnumerable<string> Check(PasskeyOptions options, Uri? issuer, bool requireHttps)
    {
        // A malformed issuer is reported by its own section.
        issuer = issuer is { IsAbsoluteUri: true } ? issuer : null;
        var id = options.RelyingPartyId;
        if (id is not null && (IPAddress.TryParse(id, out _) || Uri.CheckHostName(id) != UriHostNameType.Dns || !id.Contains('.', StringComparison.Ordinal) && id != "localhost"))
        {
            yield return $"{PasskeyOptions.Section}:RelyingPartyId: '{id}' is not a domain name (WebAuthn refuses IP addresses and single labels other than localhost).";
            yield break;
        }

        if (id is not null && issuer is not null && !IsOnOrBelow(issuer.IdnHost, id))
        {
            yield return $"{PasskeyOptions.Section}:RelyingPartyId: '{id}' must be the issuer's host ({issuer.IdnHost}) or a parent domain of it.";
        }

        var scope = id ?? issuer?.IdnHost;
        foreach (var origin in options.AdditionalOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0 || origin.EndsWith('/'))
            {
                yield return $"{PasskeyOptions.Section}:AdditionalOrigins: '{origin}' is not an origin (scheme://host[:port], nothing after it).";
            }
            else if (uri.Scheme == "http" && requireHttps)
            {
                yield return $"{PasskeyOptions.Section}:AdditionalOrigins: '{origin}' is http while IdentityServer:RequireHttps is true.";
            }
            else if (scope is not null && !IsOnOrBelow(uri.IdnHost, scope))
            {
                yield return $"{PasskeyOptions.Section}:AdditionalOrigins: '{origin}' is not on the relying-party id '{scope}' or below it.";
            }
        }
    }

    /// <summary>Points Identity's passkey handler at this relying party.</summary>
    public void Configure(IdentityPasskeyOptions identity)
    {
        identity.ServerDomain = Id;
        identity.ValidateOrigin = context => ValueTask.FromResult(IsAllowed(context));
        identity.UserVerificationRequirement = options.UserVerification.ToString().ToLowerInvariant();

        // Discoverable credentials: sign-in without a user name needs the authenticator to hold the account.
        identity.ResidentKeyRequirement = "required";
        identity.AuthenticatorTimeout = options.Timeout;
    }

    private bool IsAllowed(PasskeyOriginValidationContext context)
    {
        if (context.CrossOrigin || !Uri.TryCreate(context.Origin, UriKind.Absolute, out var origin))
        {
            return false;
        }

        var request = context.HttpContext.Request;
        return origins.Contains(Normalize(origin))
            || issuer is null && Normalize(origin) == Normalize(new Uri($"{request.Scheme}://{request.Host}"));
    }

    private static HashSet<string> Origins(PasskeyOptions options, Uri? issuer)
    {
        var all = options.AdditionalOrigins.Select(o => Normalize(new Uri(o))).ToHashSet(StringComparer.Ordinal);
        if (issuer is not null)
        {
            all.Add(Normalize(issuer));
        }

        return all;
    }

    private static string Normalize(Uri uri) => $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}";

    private static bool IsOnOrBelow(string host, string domain) =>
        string.Equals(host, domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
}
