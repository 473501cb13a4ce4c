namespace IdentityServer.External;

/// <summary>What a provider registered this server as.</summary>
internal class ProviderCredentials
{
    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }
}
