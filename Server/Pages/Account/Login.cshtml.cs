using System.ComponentModel.DataAnnotations;
using IdentityServer.Accounts;
using IdentityServer.Data;
using IdentityServer.External;
using IdentityServer.Passkeys;
using IdentityServer.RateLimiting;
using IdentityServer.Telemetry;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IdentityServer.Pages.Account;

internal sealed class LoginModel(AccountSignInManager signIn, UserManager<ApplicationUser> users, ServerMetrics metrics,
    IOptions<AccountOptions> options, IOptions<PasskeyOptions> passkeys, IReadOnlyList<ExternalProvider> providers, SignInThrottle throttle) : PageModel
{
    private const string Failure = "The user name or password is incorrect, or the account is temporarily locked.";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    [StringLength(256)]
    public string? LoginHint { get; set; }

    /// <summary>Sent here by a sensitive change that needs a fresh sign-in.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Reauthenticate { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter your user name or email.")]
    [StringLength(256, ErrorMessage = "That is longer than any user name or email here.")]
    [Display(Name = "User name or email")]
    public string Login { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(1024, ErrorMessage = "That is longer than any password allowed here.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public string? Message { get; private set; }

    public bool AllowRegistration => options.Value.AllowRegistration;

    public IReadOnlyList<ExternalProvider> Providers => providers;

    public bool Passkeys => passkeys.Value.Enabled;

    public void OnGet()
    {
        if (ModelState.GetFieldValidationState(nameof(LoginHint)) != ModelValidationState.Invalid)
        {
            Login = LoginHint ?? "";
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = await signIn.FindByLoginAsync(Login);
        var account = SignInThrottle.AccountKey(user?.Id, users.NormalizeName(Login));
        if (!throttle.TryBegin(HttpContext, account, out var refusal))
        {
            return refusal;
        }

        // Unknown, wrong, locked: one answer, one password hash each.
        var result = await signIn.PasswordSignInUniformAsync(user, Login, Password);
        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
        if (result.RequiresTwoFactor)
        {
            throttle.Succeeded(HttpContext, account);
            return RedirectToPage("/Account/LoginWith2fa", new { ReturnUrl = returnUrl });
        }

        if (result.IsNotAllowed)
        {
            // Counted like a wrong password: otherwise the absence of a 429 would tell the password was right.
            throttle.Failed(HttpContext, account);
            Message = "Confirm your email address first: open the link in the message we sent you.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!result.Succeeded)
        {
            throttle.Failed(HttpContext, account);
            return Fail();
        }

        throttle.Succeeded(HttpContext, account);
        metrics.SignIn(true);
        return LocalRedirect(returnUrl);
    }

    private PageResult Fail()
    {
        metrics.SignIn(false);
        Message = Failure;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

}
