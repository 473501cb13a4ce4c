using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Data;

internal sealed class ApplicationUser : IdentityUser
{
    /// <summary>Full name shown to apps through the <c>profile</c> scope.</summary>
    public string? Name { get; set; }

    /// <summary>Profile picture URL, from an external provider.</summary>
    public string? Picture { get; set; }

    /// <summary>When the profile last changed (the <c>updated_at</c> claim).</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
