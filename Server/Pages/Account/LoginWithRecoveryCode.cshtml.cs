using System.ComponentModel.DataAnnotations;
using IdentityServer.Data;
using IdentityServer.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace IdentityServer.Pages.Account;

internal sealed class LoginWithRecoveryCodeModel(SignInManager<ApplicationUser> signIn, SignInThrottle throttle) : TwoFactorSignInModel(signIn, throttle)
{
    [BindProperty]
    [Required(ErrorMessage = "Enter one of your recovery codes.")]
    [StringLength(32, ErrorMessage = "That is not a recovery code.")]
    [Display(Name = "Recovery code")]
    public override string Code { get; set; } = "";

    protected override string InvalidCodeMessage => "That recovery code is not valid or was already used.";

    protected override Task<SignInResult> SignInWithCodeAsync(string code) => SignInManager.TwoFactorRecoveryCodeSignInAsync(code);
}
