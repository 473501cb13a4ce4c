using System.ComponentModel.DataAnnotations;
using IdentityServer.Data;
using IdentityServer.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace IdentityServer.Pages.Account;

internal sealed class LoginWith2faModel(SignInManager<ApplicationUser> signIn, SignInThrottle throttle) : TwoFactorSignInModel(signIn, throttle)
{
    [BindProperty]
    [Required(ErrorMessage = "Enter the code from your authenticator app.")]
    [StringLength(16, ErrorMessage = "The code is 6 digits.")]
    [Display(Name = "Authenticator code")]
    public override string Code { get; set; } = "";

    protected override string InvalidCodeMessage => "That code is not valid. Codes change every 30 seconds.";

    protected override Task<SignInResult> SignInWithCodeAsync(string code) =>
        SignInManager.TwoFactorAuthenticatorSignInAsync(code.Replace("-", "", StringComparison.Ordinal), isPersistent: false, rememberClient: false);
}
