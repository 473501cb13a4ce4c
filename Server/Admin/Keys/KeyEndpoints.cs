using IdentityServer.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityServer.Admin.Keys;

/// <summary><c>/admin/api/keys</c>: the signing and encryption keys in use, described from OpenIddict's credentials, with each rotating key's state.</summary>
internal static class KeyEndpoints
{
    public static void MapKeyEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("keys", List).RequireAuthorization(AdminPolicies.Read).WithTags("Keys").WithName("ListKeys");

    private static Ok<Page<KeyView>> List(IOptionsMonitor<OpenIddictServerOptions> options, IServiceProvider services)
    {
        var server = options.CurrentValue;
        var ring = services.GetService<KeyRing>()?.Keys.ToDictionary(k => k.Kid, StringComparer.Ordinal) ?? [];
        List<KeyView> keys =
        [
            .. server.SigningCredentials.Select(c => ring.TryGetValue(c.Kid, out var scheduled) ? Scheduled(c.Key, scheduled) : View(c.Key, c.Algorithm, "sig")),
            .. server.EncryptionCredentials.Select(c => View(c.Key, c.Enc, "enc")),
        ];
        return TypedResults.Ok(new Page<KeyView>(keys, 1, keys.Count, keys.Count));
    }

    private static KeyView Scheduled(SecurityKey key, RingKey ring) => View(key, ring.Algorithm, "sig") with
    {
        State = ring.Schedule.State.ToString().ToLowerInvariant(),
        ActivatesAt = ring.Schedule.ActivatesAt,
        RetiredAt = ring.Schedule.RetiredAt,
        Origin = ring.Schedule.Row.Origin,
    };

    private static KeyView View(SecurityKey key, string algorithm, string use) => key switch
    {
        X509SecurityKey x509 => new KeyView(key.KeyId, algorithm, use, "X509", x509.Certificate.NotBefore.ToUniversalTime(), x509.Certificate.NotAfter.ToUniversalTime()),
        RsaSecurityKey => new KeyView(key.KeyId, algorithm, use, "RSA", null, null),
        ECDsaSecurityKey => new KeyView(key.KeyId, algorithm, use, "EC", null, null),
        _ => new KeyView(key.KeyId, algorithm, use, key.GetType().Name, null, null),
    };
}
