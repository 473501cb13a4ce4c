namespace IdentityServer.Oidc;

/// <summary>
/// Where a client that describes itself comes from, shown on its consent page: the host is the one fact about it
/// this server checked (it served the document); the name is only what the client says. A logo it names is not
/// shown: loading it would tell the client's host who is signing in, and a picture adds trust nobody checked.
/// </summary>
internal sealed record ClientOrigin(string Host, bool FromDocument);
