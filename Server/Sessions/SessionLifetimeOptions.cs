using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Sessions;

/// <summary>Server-side sessions of the people who sign in on the pages (<c>IdentityServer:Sessions</c>).</summary>
internal sealed class SessionLifetimeOptions
{
    public const string Section = "IdentityServer:Sessions";

    /// <summary>A session unused for this long ends.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in, however busy.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Sensitive account changes need an interactive authentication at most this old.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan ReauthenticationWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A request for <c>acr_values=mfa</c> (or from a client with <c>RequireMfa</c>) is met by a second factor
    /// checked at most this long ago; an older one is asked for again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan StepUpWindow { get; set; } = TimeSpan.FromMinutes(15);
}

[OptionsValidator]
internal sealed partial class SessionLifetimeOptionsValidator : IValidateOptions<SessionLifetimeOptions>;
