using System.ComponentModel.DataAnnotations;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Accounts;

/// <summary>
/// User names are limited to Identity's ASCII set; emails must be ASCII too, so a Cyrillic 'а' or a
/// full-width letter can never produce an address that looks like someone else's. An email is optional (an
/// account made through a provider that verified none has none), but when present it is well formed and
/// nobody else's.
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

        if (user.Email is { } address)
        {
            var describer = new IdentityErrorDescriber();
            if (!new EmailAddressAttribute().IsValid(address))
            {
                return IdentityResult.Failed(describer.InvalidEmail(address));
            }

            if (await manager.FindByEmailAsync(address) is { } other && other.Id != user.Id)
            {
                return IdentityResult.Failed(describer.DuplicateEmail(address));
            }
        }

        return IdentityResult.Success;
    }
}
