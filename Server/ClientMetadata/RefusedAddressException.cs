namespace IdentityServer.ClientMetadata;

/// <summary>Thrown from the connect step when the document's host resolves to an address this server will not fetch from.</summary>
internal sealed class RefusedAddressException(string message) : Exception(message);
