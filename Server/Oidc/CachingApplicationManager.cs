using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Oidc;

/// <summary>
/// Client secrets stay PBKDF2-hashed at rest; this only remembers, for a few minutes, that a given secret
/// matched a given stored hash. The cache key is a SHA-256 of both, so the secret itself is never kept,
/// and a rotated secret (a new stored hash) can never match an old entry. Failures are never cached.
/// </summary>
internal sealed class CachingApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    IMemoryCache memory)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    protected override async ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
    {
        var key = CacheKey(secret, comparand);
        if (memory.TryGetValue(key, out _))
        {
            return true;
        }

        if (!await base.ValidateClientSecretAsync(secret, comparand, cancellationToken))
        {
            return false;
        }

        memory.Set(key, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime, Size = 1 });
        return true;
    }

    private static string CacheKey(string secret, string comparand)
    {
        var bytes = Encoding.UTF8.GetBytes(comparand + "\n" + secret);
        return "client-secret:" + Convert.ToBase64String(SHA256.HashData(bytes));
    }
}
