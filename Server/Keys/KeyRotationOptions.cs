using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Keys;

/// <summary>
/// Automatic rotation of the token-signing keys (<c>IdentityServer:Keys:Rotation</c>): each key is announced in
/// the JWKS for <see cref="PropagationPeriod"/>, signs for <see cref="RotationPeriod"/>, then stays published for
/// <see cref="RetentionPeriod"/> so the tokens it signed keep validating.
/// </summary>
internal sealed class KeyRotationOptions : IValidatableObject
{
    public const string Section = "IdentityServer:Keys:Rotation";

    /// <summary>Off: the key files sign, as before rotation existed (operators who manage keys themselves).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a new key is in the JWKS before it signs: longer than any API caches the JWKS.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan PropagationPeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a key signs before its successor takes over.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "3650.00:00:00")]
    public TimeSpan RotationPeriod { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a retired key stays in the JWKS: at least the longest access- or identity-token lifetime.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the rotation job looks at the schedule (one instance does the work, under a lease).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The <c>Cache-Control: max-age</c> of the discovery document and the JWKS: shorter than the propagation period.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MetadataMaxAge { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MetadataMaxAge >= PropagationPeriod)
        {
            yield return new ValidationResult("must be shorter than the PropagationPeriod, or an API could miss a new key until after it signs.", [nameof(MetadataMaxAge)]);
        }

        if (RotationPeriod <= PropagationPeriod)
        {
            yield return new ValidationResult("must be longer than the PropagationPeriod: the next key is announced that long before the current one's period ends.", [nameof(RotationPeriod)]);
        }
    }

    /// <summary>The rule that needs the token lifetimes: a retired key must outlive every token it signed.</summary>
    public IEnumerable<string> CheckRetention(TimeSpan longestTokenLifetime)
    {
        if (Enabled && RetentionPeriod < longestTokenLifetime)
        {
            yield return $"{Section}:RetentionPeriod: must be at least the longest access- or identity-token lifetime ({longestTokenLifetime}), or tokens signed by a retired key stop validating before they expire.";
        }
    }
}

[OptionsValidator]
internal sealed partial class KeyRotationOptionsValidator : IValidateOptions<KeyRotationOptions>;
