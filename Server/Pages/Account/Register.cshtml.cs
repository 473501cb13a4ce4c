using System.ComponentModel.DataAnnotations;
using IdentityServer.Accounts;
using IdentityServer.Accounts.Email;
using IdentityServer.Configuration;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IdentityServer.Pages.Account;

internal sealed class RegisterModel(UserManager<ApplicationUser> users, SignInManager<ApplicationUser> signIn, AccountEmails emails, IOptions<ServerOptions> options, TimeProvider time) : PageModel
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
    [StringLength(254)]
    public string Email { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(PasswordPolicy.MaximumLength, ErrorMessage = "Passwords can be at most 1024 characters long.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public bool Registered { get; private set; }

    public IActionResult OnGet() => options.Value.Accounts.AllowRegistration ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!options.Value.Accounts.AllowRegistration)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = new ApplicationUser { UserName = UserName, Email = Email, UpdatedAt = time.GetUtcNow() };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await emails.SendConfirmationAsync(user, HttpContext.RequestAborted);
        if (!options.Value.Accounts.RequireConfirmedEmail)
        {
            await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "pwd");
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        Registered = true;
        return Page();
    }
}
