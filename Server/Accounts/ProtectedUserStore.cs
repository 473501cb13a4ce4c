using IdentityServer.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace IdentityServer.Accounts;

/// <summary>
/// Identity's EF store, with the values it keeps in AspNetUserTokens — the authenticator (TOTP) key and the
/// recovery codes among them — protected with Data Protection, so a copy of the database does not hand out
/// second factors. A value written before this protection is still read (once), and protected when next written.
/// </summary>
internal sealed class ProtectedUserStore(ApplicationDbContext context, IDataProtectionProvider protection, IdentityErrorDescriber? describer = null)
    : UserStore<ApplicationUser, IdentityRole, ApplicationDbContext>(context, describer)
{
    private const string Prefix = "dp1:";
    private readonly IDataProtector protector = protection.CreateProtector("IdentityServer.Accounts.UserTokens");

    public override Task SetTokenAsync(ApplicationUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken) =>
        base.SetTokenAsync(user, loginProvider, name, value is null ? null : Prefix + protector.Protect(value), cancellationToken);

    public override async Task<string?> GetTokenAsync(ApplicationUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        var stored = await base.GetTokenAsync(user, loginProvider, name, cancellationToken);
        return stored is not null && stored.StartsWith(Prefix, StringComparison.Ordinal) ? protector.Unprotect(stored[Prefix.Length..]) : stored;
    }
}
