using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.ClientMetadata;

/// <summary>
/// Client ID metadata documents (<c>IdentityServer:ClientMetadataDocuments</c>): a <c>client_id</c> that is an
/// https URL names the JSON document describing the client, fetched by this server when the client first asks.
/// </summary>
internal sealed class ClientMetadataOptions : IValidatableObject
{
    public const string Section = "IdentityServer:ClientMetadataDocuments";

    /// <summary>Off (the default outside Development): a URL as client_id is an unknown client, and discovery does not advertise the feature.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Documents at plain-http loopback addresses (http://127.0.0.1:port/…, http://localhost:port/…) are fetched,
    /// and loopback addresses are not refused: for tests and local development only.
    /// </summary>
    public bool AllowLoopbackHttp { get; set; }

    /// <summary>The whole fetch (connection, headers and body) must finish within this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The TCP (and TLS) connection must be made within this.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A larger document is refused unread.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxDocumentBytes { get; set; } = 32 * 1024;

    /// <summary>A document is kept at least this long, whatever its <c>Cache-Control</c> says (and this long when it says nothing).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MinCacheLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A document is fetched again after this at the latest, whatever its <c>Cache-Control</c> says.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan MaxCacheLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Fetches running at the same time on this instance; more are refused at once (temporarily_unavailable) rather than queued.</summary>
    [Range(1, 256)]
    public int MaxConcurrentFetches { get; set; } = 16;

    /// <summary>
    /// When not empty, only documents on these hosts are accepted: <c>example.com</c> (that host) or
    /// <c>*.example.com</c> (its subdomains).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Documents on these hosts are refused (same patterns as <see cref="AllowedHosts"/>); checked first.</summary>
    public List<string> DeniedHosts { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxCacheLifetime < MinCacheLifetime)
        {
            yield return new ValidationResult($"'{MaxCacheLifetime:c}' must not be shorter than MinCacheLifetime ({MinCacheLifetime:c}).", [nameof(MaxCacheLifetime)]);
        }

        if (ConnectTimeout > Timeout)
        {
            yield return new ValidationResult($"'{ConnectTimeout:c}' must not be longer than Timeout ({Timeout:c}).", [nameof(ConnectTimeout)]);
        }

        foreach (var (name, patterns) in new[] { (nameof(AllowedHosts), AllowedHosts), (nameof(DeniedHosts), DeniedHosts) })
        {
            foreach (var pattern in patterns.Where(p => !HostPatterns.IsValid(p)))
            {
                yield return new ValidationResult($"'{pattern}' is not a host name or *.host pattern.", [name]);
            }
        }
    }
}

[OptionsValidator]
internal sealed partial class ClientMetadataOptionsValidator : IValidateOptions<ClientMetadataOptions>;
