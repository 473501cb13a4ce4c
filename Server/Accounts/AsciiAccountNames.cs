using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Accounts;

/// <summary>
/// User names are limited to Identity's ASCII set; emails must be ASCII too, so a Cyrillic 'а' or a
/// full-width letter can never produce an address that looks like someone else's.
/// </summary>
internal sealed class AsciiAccountNames : IUserValidator<ApplicationUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        if (user.Email is { } email && email.Any(c => c > 127 || char.IsControl(c)))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "InvalidEmail",
                Description = "Use an email address made of plain ASCII characters.",
            }));
        }

        return Task.FromResult(IdentityResult.Success);
    }
}
