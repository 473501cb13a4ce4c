namespace IdentityServer.Admin;

/// <summary>The two authorization policies of the admin API: reads need <c>admin.read</c>, writes <c>admin.write</c>.</summary>
internal static class AdminPolicies
{
    public const string Read = "admin-api-read";

    public const string Write = "admin-api-write";
}
