using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Oidc;

/// <summary>Default token lifetimes (<c>IdentityServer:Tokens</c>); clients may override the access and refresh lifetimes.</summary>
internal sealed class TokenLifetimeOptions
{
    public const string Section = "IdentityServer:Tokens";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>At most five minutes: a code is redeemed within seconds, and a long-lived one is only a risk.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a pushed authorization request's request_uri stays usable (RFC 9126): it must outlast the
    /// sign-in the request leads to, which goes back to it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan PushedRequestLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a rotated refresh token may still be redeemed (for racing requests of one app).
    /// Past it, a reuse revokes the whole chain. Zero: the first reuse revokes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.FromSeconds(5);
}

[OptionsValidator]
internal sealed partial class TokenLifetimeOptionsValidator : IValidateOptions<TokenLifetimeOptions>;
