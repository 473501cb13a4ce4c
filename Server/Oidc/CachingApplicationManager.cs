using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

/// <summary>
/// Client secrets stay PBKDF2-hashed at rest; a secret that matched is remembered by <see cref="ClientSecretCache"/>.
/// Failures are never cached; they are counted (and, past a budget, refused unverified) by
/// <see cref="RateLimiting.ClientSecretThrottle"/>, which runs before this.
/// </summary>
internal sealed class CachingApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    ClientSecretCache secrets)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    protected override async ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
    {
        if (secrets.Matched(secret, comparand))
        {
            return true;
        }

        if (!await base.ValidateClientSecretAsync(secret, comparand, cancellationToken))
        {
            return false;
        }

        secrets.Remember(secret, comparand);
        return true;
    }

    /// <summary>Exact matching, and for public clients a loopback redirect URI on any port (RFC 8252 §7.3).</summary>
    public override async ValueTask<bool> ValidateRedirectUriAsync(OpenIddictEntityFrameworkCoreApplication application, [StringSyntax(StringSyntaxAttribute.Uri)] string uri,
        CancellationToken cancellationToken = default)
    {
        if (await base.ValidateRedirectUriAsync(application, uri, cancellationToken))
        {
            return true;
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var requested) || !RedirectRules.IsLoopback(requested)
            || !await HasClientTypeAsync(application, ClientTypes.Public, cancellationToken))
        {
            return false;
        }

        return (await GetRedirectUrisAsync(application, cancellationToken)).Any(registered => RedirectRules.SameLoopbackIgnoringPort(registered, uri));
    }
}
