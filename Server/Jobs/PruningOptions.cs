using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Quartz;

namespace IdentityServer.Jobs;

/// <summary>The prune job (<c>IdentityServer:Pruning</c>).</summary>
internal sealed class PruningOptions : IValidatableObject
{
    public const string Section = "IdentityServer:Pruning";

    public bool Enabled { get; set; } = true;

    /// <summary>Time between runs, unless <see cref="Cron"/> is set.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A Quartz cron expression (for example "0 0 3 * * ?"); overrides <see cref="Interval"/>.</summary>
    public string? Cron { get; set; }

    /// <summary>
    /// How long finished rows (redeemed, revoked, expired) are kept. Default: the refresh token lifetime, so a
    /// rotated refresh token stays recognisable — and its reuse detectable — for as long as it could have been valid.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan? Retention { get; set; }

    /// <summary>How long audit events are kept (<c>AuditEvents</c>); older ones are removed by this job.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan AuditRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The first run comes this long after start-up, plus up to the same again at random.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FirstRunDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Cron is { Length: > 0 } && !IsCronExpression(Cron))
        {
            yield return new ValidationResult($"'{Cron}' is not a Quartz cron expression (for example \"0 0 3 * * ?\": every day at 03:00).", [nameof(Cron)]);
        }
    }

    private static bool IsCronExpression(string text)
    {
        try
        {
            _ = new CronExpression(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

[OptionsValidator]
internal sealed partial class PruningOptionsValidator : IValidateOptions<PruningOptions>;
