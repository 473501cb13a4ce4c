namespace IdentityServer.Seeding;

/// <summary>
/// A protected resource (an API) that clients may name with the <c>resource</c> parameter (RFC 8707) or, in a
/// token exchange, with <c>audience</c>. A token asked for it carries exactly its URI as <c>aud</c>.
/// </summary>
internal sealed class DeclaredResource
{
    /// <summary>The API's identifier: an absolute URI without a fragment, normally its base address.</summary>
    public string Uri { get; set; } = "";

    public string? DisplayName { get; set; }
}
