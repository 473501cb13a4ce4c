using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.BackchannelLogout;

/// <summary>OpenID Connect Back-Channel Logout 1.0 (<c>IdentityServer:BackchannelLogout</c>).</summary>
internal sealed class BackchannelLogoutOptions : IValidatableObject
{
    public const string Section = "IdentityServer:BackchannelLogout";

    /// <summary>Off: no logout token is queued or sent, and discovery does not advertise the feature.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each instance looks for notifications that are due.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a client may take to answer one logout token.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>exp</c> of a logout token, counted from its <c>iat</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts per notification before it is given up (and logged, without the token).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Notifications one run claims at a time.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetryDelay < FirstRetryDelay)
        {
            yield return new ValidationResult($"'{MaxRetryDelay:c}' must not be shorter than FirstRetryDelay ({FirstRetryDelay:c}).", [nameof(MaxRetryDelay)]);
        }
    }

    /// <summary>The wait after <paramref name="failedAttempts"/> failures: doubling, capped.</summary>
    public TimeSpan RetryDelay(int failedAttempts)
    {
        var ticks = FirstRetryDelay.Ticks * Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        return ticks >= MaxRetryDelay.Ticks ? MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Logout tokens one run sends at the same time.</summary>
    public const int Parallelism = 4;

    /// <summary>
    /// How long a claimed notification stays out of other senders' reach: long enough for a whole batch to time
    /// out, short enough that a crashed sender's rows are soon taken up again.
    /// </summary>
    public TimeSpan ClaimLease => (RequestTimeout * ((BatchSize + Parallelism - 1) / Parallelism)) + TimeSpan.FromSeconds(30);
}

[OptionsValidator]
internal sealed partial class BackchannelLogoutOptionsValidator : IValidateOptions<BackchannelLogoutOptions>;
