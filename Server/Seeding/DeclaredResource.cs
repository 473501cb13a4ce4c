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

    /// <summary>
    /// The scopes that make sense with this resource (an MCP server's <c>mcp:tools</c>, say): clients that describe
    /// themselves (metadata documents, dynamic registration) may ask for them when they may ask for the resource.
    /// </summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>
    /// Clients that describe themselves — a client ID metadata document, or dynamic registration — may ask tokens
    /// for this resource. Off by default: only configured clients that list it may.
    /// </summary>
    public bool AllowSelfDescribedClients { get; set; }
}
