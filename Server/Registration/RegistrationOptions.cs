using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Registration;

/// <summary>Dynamic client registration, RFC 7591 and RFC 7592 (<c>IdentityServer:Registration</c>). Off by default.</summary>
internal sealed class RegistrationOptions : IValidatableObject
{
    public const string Section = "IdentityServer:Registration";

    /// <summary>The shortest initial access token accepted: they are bearer secrets, so they must not be guessable.</summary>
    public const int MinimumInitialAccessTokenLength = 32;

    /// <summary>Off: no endpoint, nothing in discovery. Clients registered earlier keep working (and are pruned when unused).</summary>
    public bool Enabled { get; set; }

    public RegistrationPolicy Policy { get; set; } = RegistrationPolicy.Open;

    /// <summary>With <see cref="RegistrationPolicy.InitialAccessToken"/>: the bearer tokens that allow a registration. Never logged.</summary>
    public List<string> InitialAccessTokens { get; set; } = [];

    /// <summary>
    /// The scopes a registered client may have; a requested scope outside this list is dropped. Unset: <see cref="DefaultScopes"/>
    /// (null rather than a filled list, which the configuration binder would append to instead of replacing).
    /// </summary>
    public List<string>? AllowedScopes { get; set; }

    public static IReadOnlyList<string> DefaultScopes { get; } = ["openid", "profile", "email", "offline_access"];

    public IReadOnlyList<string> ScopesAllowed() => AllowedScopes is { Count: > 0 } scopes ? scopes : DefaultScopes;

    /// <summary>A registered client that has not completed a sign-in this long after registering is removed by the prune job.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan UnusedClientLifetime { get; set; } = TimeSpan.FromDays(1);

    [Range(1, 20)]
    public int MaxRedirectUris { get; set; } = 5;

    /// <summary>The longest <c>client_name</c>; it is shown on the consent page.</summary>
    [Range(1, 200)]
    public int MaxClientNameLength { get; set; } = 100;

    /// <summary>The longest redirect, client or logo URI.</summary>
    [Range(20, 4096)]
    public int MaxUriLength { get; set; } = 2000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Policy == RegistrationPolicy.InitialAccessToken && InitialAccessTokens.Count == 0)
        {
            yield return new ValidationResult("must list at least one token when Policy is InitialAccessToken.", [nameof(InitialAccessTokens)]);
        }

        for (var i = 0; i < InitialAccessTokens.Count; i++)
        {
            // The message never repeats the token: configuration errors are printed and logged.
            if (InitialAccessTokens[i] is not { Length: >= MinimumInitialAccessTokenLength } token || token.Any(c => c <= ' ' || c > '~'))
            {
                yield return new ValidationResult(
                    $"must be at least {MinimumInitialAccessTokenLength} printable ASCII characters without spaces (a random value, e.g. openssl rand -base64 32).",
                    [$"{nameof(InitialAccessTokens)}[{i}]"]);
            }
        }

        if (!ScopesAllowed().Contains("openid", StringComparer.Ordinal))
        {
            yield return new ValidationResult("must include openid: registered clients sign people in.", [nameof(AllowedScopes)]);
        }
    }

    /// <summary>The allowed scopes that are neither built in nor declared under <c>IdentityServer:Scopes</c>.</summary>
    public IEnumerable<string> UnknownScopes(IEnumerable<string> declared)
    {
        var known = new HashSet<string>(["openid", "profile", "email", "roles", "offline_access", .. declared], StringComparer.Ordinal);
        return ScopesAllowed().Where(s => !known.Contains(s)).Select(s => $"{Section}:{nameof(AllowedScopes)}: '{s}' is neither a built-in scope nor declared under IdentityServer:Scopes.");
    }
}

[OptionsValidator]
internal sealed partial class RegistrationOptionsValidator : IValidateOptions<RegistrationOptions>;
