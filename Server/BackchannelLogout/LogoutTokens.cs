using IdentityServer.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityServer.BackchannelLogout;

/// <summary>
/// Makes logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.4): a JWT of type <c>logout+jwt</c> signed
/// with the key and algorithm of the identity tokens, so a client validates it with the keys it already uses.
/// </summary>
internal sealed class LogoutTokens(IOptionsMonitor<OpenIddictServerOptions> server, IOptions<BackchannelLogoutOptions> options, TimeProvider time)
{
    public const string Type = "logout+jwt";
    public const string Event = "http://schemas.openid.net/event/backchannel-logout";
    public const string SessionIdClaim = "sid";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Create(BackchannelLogoutNotice notice)
    {
        var settings = server.CurrentValue;
        var issuer = settings.Issuer ?? throw new InvalidOperationException("Back-channel logout needs IdentityServer:Issuer (checked at start-up).");

        // OpenIddict signs identity tokens with the first asymmetric signing key (OidcSetup registers the RSA one first).
        var credentials = settings.SigningCredentials.First(c => c.Key is AsymmetricSecurityKey);
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = notice.Subject,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            ["events"] = new Dictionary<string, object>(StringComparer.Ordinal) { [Event] = new Dictionary<string, object>() },
        };
        if (notice.SessionId is { } sid)
        {
            claims[SessionIdClaim] = sid;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer.AbsoluteUri,
            Audience = notice.ClientId,
            IssuedAt = now,
            Expires = now + options.Value.TokenLifetime,
            Claims = claims,
            SigningCredentials = credentials,
            TokenType = Type,
        });
    }
}
