namespace IdentityServer.Seeding;

/// <summary>Public clients (SPAs, mobile apps) hold no secret; confidential ones (servers) do.</summary>
internal enum ClientType
{
    Public,
    Confidential,
}
