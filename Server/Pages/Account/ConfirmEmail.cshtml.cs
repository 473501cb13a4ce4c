using System.Text;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityServer.Pages.Account;

/// <summary>Confirms a new account's address, or (with <c>email</c>) a change to a new address.</summary>
internal sealed class ConfirmEmailModel(UserManager<ApplicationUser> users, TimeProvider time) : PageModel
{
    public bool Confirmed { get; private set; }

    public async Task OnGetAsync(string? userId, string? code, string? email)
    {
        Response.Headers.CacheControl = "no-store";
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(code) || userId.Length > 450 || code.Length > 4096)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var user = await users.FindByIdAsync(userId);
        string token;
        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            user = null;
            token = "";
        }

        IdentityResult? result = null;
        if (user is not null)
        {
            if (email is null)
            {
                result = await users.ConfirmEmailAsync(user, token);
            }
            else
            {
                result = await users.ChangeEmailAsync(user, email, token);
                if (result.Succeeded)
                {
                    user.UpdatedAt = time.GetUtcNow();
                    await users.UpdateAsync(user);
                }
            }
        }

        Confirmed = result?.Succeeded == true;
        if (!Confirmed)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }
}
