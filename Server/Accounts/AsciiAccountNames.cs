using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Accounts;

/// <summary>
/// User names are limited to Identity's ASCII set; emails must be ASCII too, so a Cyrillic 'а' or a
/// full-width letter can never produce an address that looks like someone else's.
/// </summary>
internal sealed class AsciiAccountNames : IUserValidator<ApplicationUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user)
    {
        // Sign-in looks a name up first, then an email: a name that is someone else's address would shadow them.
        if (user.UserName is { } name && name.Contains('@', StringComparison.Ordinal)
            && await manager.FindByEmailAsync(name) is { } owner && owner.Id != user.Id)
        {
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateUserName(name));
        }

        if (user.Email is { } email && email.Any(c => c > 127 || char.IsControl(c)))
        {
            return IdentityResult.Failed(new IdentityError
            {
                Code = "InvalidEmail",
                Description = "Use an email address made of plain ASCII characters.",
            });
        }

        return IdentityResult.Success;
    }
}
