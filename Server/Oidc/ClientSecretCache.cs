using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;

namespace IdentityServer.Oidc;

/// <summary>
/// Remembers that a presented client secret matched a stored PBKDF2 hash, so a client pays for the hash
/// once, not on every request. The key is a SHA-256 of both, so the secret itself is never kept, and a
/// rotated secret (a new stored hash) can never match an old entry. The entry stays while the client keeps
/// using it: it is also what lets a real client through while a flood of wrong secrets for its id is
/// being refused unverified. Failures are never remembered.
/// </summary>
internal sealed class ClientSecretCache(IMemoryCache memory)
{
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(30);

    public bool Matched(string secret, string comparand) => memory.TryGetValue(Key(secret, comparand), out _);

    public void Remember(string secret, string comparand) =>
        memory.Set(Key(secret, comparand), true, new MemoryCacheEntryOptions { SlidingExpiration = IdleLifetime, Size = 1 });

    private static string Key(string secret, string comparand) =>
        "client-secret:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(comparand + "\n" + secret)));
}
