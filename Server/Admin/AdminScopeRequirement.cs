using Microsoft.AspNetCore.Authorization;

namespace IdentityServer.Admin;

/// <summary>The caller's access token carries <see cref="Scope"/> and the admin-api audience, and its caller may still administer.</summary>
internal sealed class AdminScopeRequirement(string scope) : IAuthorizationRequirement
{
    public string Scope => scope;
}
