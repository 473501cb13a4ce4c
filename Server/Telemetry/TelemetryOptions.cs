using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Telemetry;

/// <summary>Metrics and traces (<c>IdentityServer:Telemetry</c>).</summary>
internal sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "IdentityServer:Telemetry";

    /// <summary>Serve a Prometheus scrape endpoint at /metrics.</summary>
    public bool Prometheus { get; set; }

    /// <summary>Export metrics and traces over OTLP to this endpoint (for example http://collector:4317).</summary>
    public Uri? OtlpEndpoint { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult($"'{endpoint}' must be an absolute http(s) URL.", [nameof(OtlpEndpoint)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>;
