namespace IdentityServer.Admin;

/// <summary>Who owns an entity, as the API reports it in <c>managedBy</c>.</summary>
internal static class ManagedBy
{
    /// <summary>Declared in configuration and re-applied at every start: read-only here.</summary>
    public const string Configuration = "configuration";

    /// <summary>Lives only in the database (made through this API, the console, registration or sign-up): editable here, never touched by seeding.</summary>
    public const string Api = "api";

    /// <summary>A client that describes itself (a metadata document or dynamic registration): it manages itself.</summary>
    public const string Client = "client";
}
