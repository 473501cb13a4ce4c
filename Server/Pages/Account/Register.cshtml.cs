using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IdentityServer.Accounts;
using IdentityServer.Accounts.Email;
using IdentityServer.Data;
using IdentityServer.Passkeys;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityServer.Pages.Account;

internal sealed partial class RegisterModel(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, AccountEmails emails,
    IOptions<AccountOptions> options, IOptions<PasskeyOptions> passkeyOptions, UserPasskeys passkeys, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Choose a user name.")]
    [StringLength(64, ErrorMessage = "User names are at most 64 characters.")]
    [Display(Name = "User name")]
    public string UserName { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "That is not an email address.")]
    [DeliverableEmail]
    [StringLength(254)]
    public string Email { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(PasswordPolicy.MaximumLength, ErrorMessage = "Passwords can be at most 1024 characters long.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public bool Registered { get; private set; }

    /// <summary>The way back into an authorization request (prompt=create), when it is a local address.</summary>
    public string? LocalReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    public IActionResult OnGet() => options.Value.AllowRegistration ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!options.Value.AllowRegistration)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = new ApplicationUser { UserName = UserName, Email = Email, UpdatedAt = time.GetUtcNow() };
        return await FinishAsync(user, () => users.CreateAsync(user, Password), [new Claim(ClaimTypes.AuthenticationMethod, "pwd")]);
    }

    /// <summary>
    /// Creates the account and answers as registration does: an address that already has an account is never
    /// revealed (that error alone gets the answer a new account gets, and the owner is told by mail).
    /// </summary>
    private async Task<IActionResult> FinishAsync(ApplicationUser user, Func<Task<IdentityResult>> create, IReadOnlyList<Claim> methods, Func<Task<string?>>? then = null)
    {
        IdentityResult result;
        try
        {
            result = await create();
        }
        catch (DbUpdateException)
        {
            // Two registrations raced for one address and the unique index let only the other one in: this
            // one is answered like any registration of a taken address.
            result = IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(Email));
        }

        // A taken user name cannot be hidden (names are unique and the person must pick another), but its
        // answer says nothing about the address.
        var errors = result.Errors.Where(e => e.Code != nameof(IdentityErrorDescriber.DuplicateEmail)).ToList();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                ModelState.AddModelError(string.Empty, error.Code == nameof(IdentityErrorDescriber.DuplicateUserName)
                    ? "That user name is taken; choose another."
                    : error.Description);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (result.Succeeded)
        {
            if (then is not null && await then() is { } refused)
            {
                await users.DeleteAsync(user);
                ModelState.AddModelError(string.Empty, refused);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            await emails.SendConfirmationAsync(user);
            if (!options.Value.RequireConfirmedEmail)
            {
                // Without confirmation a new account is signed in at once, which a taken address cannot imitate (README).
                await signIn.SignInWithClaimsAsync(user, isPersistent: false, methods);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            }
        }
        else if (await users.FindByEmailAsync(Email) is { } owner)
        {
            emails.SendAlreadyRegistered(owner);
        }

        Registered = true;
        return Page();
    }
}
