using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityServer.Accounts;

/// <summary>
/// Verifies a password against a throwaway hash made with the configured hasher, so a sign-in for an
/// unknown user costs what a wrong password costs and the two cannot be told apart by timing.
/// </summary>
internal sealed class UnknownUserPasswordCheck(IOptions<PasswordHasherOptions> options)
{
    private readonly PasswordHasher<ApplicationUser> hasher = new(options);
    private readonly Lazy<string> hash = new(() => new PasswordHasher<ApplicationUser>(options).HashPassword(new ApplicationUser(), Guid.NewGuid().ToString()));

    public void Spend(string password) => hasher.VerifyHashedPassword(new ApplicationUser(), hash.Value, password);
}
