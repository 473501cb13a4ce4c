using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.External;

/// <summary>Third-party sign-in (<c>IdentityServer:External</c>). Nothing is active unless configured.</summary>
internal sealed class ExternalOptions : IValidatableObject
{
    public const string Section = "IdentityServer:External";

    public ProviderCredentials? GitHub { get; set; }

    public ProviderCredentials? Google { get; set; }

    /// <summary>Any OpenID Connect provider, by issuer URL.</summary>
    public List<OidcProviderOptions> Providers { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, preset) in new[] { (nameof(GitHub), GitHub), (nameof(Google), Google) })
        {
            if (preset is not null && string.IsNullOrWhiteSpace(preset.ClientId))
            {
                yield return new ValidationResult($"the client id registered with {name} is required.", [$"{name}.{nameof(preset.ClientId)}"]);
            }

            if (preset is not null && string.IsNullOrWhiteSpace(preset.ClientSecret))
            {
                yield return new ValidationResult($"the client secret registered with {name} is required (set it from an environment variable, not in a file).", [$"{name}.{nameof(preset.ClientSecret)}"]);
            }
        }

        var names = new HashSet<string>(["github", "google"], StringComparer.Ordinal);
        for (var i = 0; i < Providers.Count; i++)
        {
            var provider = Providers[i];
            var key = $"{nameof(Providers)}[{i}]";
            if (provider.Name.Length is 0 or > 40 || !provider.Name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                yield return new ValidationResult($"'{provider.Name}' must be 1-40 lowercase letters, digits or dashes.", [$"{key}.{nameof(provider.Name)}"]);
            }
            else if (!names.Add(provider.Name))
            {
                yield return new ValidationResult($"'{provider.Name}' is used twice.", [$"{key}.{nameof(provider.Name)}"]);
            }

            if (provider.Issuer is not { IsAbsoluteUri: true } || provider.Issuer.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult("an absolute http(s) issuer URL is required.", [$"{key}.{nameof(provider.Issuer)}"]);
            }

            if (string.IsNullOrWhiteSpace(provider.ClientId))
            {
                yield return new ValidationResult("a client id is required.", [$"{key}.{nameof(provider.ClientId)}"]);
            }
        }
    }
}

[OptionsValidator]
internal sealed partial class ExternalOptionsValidator : IValidateOptions<ExternalOptions>;
