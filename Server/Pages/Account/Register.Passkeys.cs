using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IdentityServer.Data;
using IdentityServer.Passkeys;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace IdentityServer.Pages.Account;

/// <summary>
/// Passwordless registration: <c>?handler=PasskeyOptions</c> checks the name and address and starts a passkey
/// ceremony for an account that does not exist yet (its id chosen now and kept in the protected ceremony state);
/// <c>?handler=Passkey</c> creates that account, with the passkey and no password.
/// </summary>
internal sealed partial class RegisterModel
{
    [BindProperty]
    [StringLength(PasskeyCredentialJson.MaximumLength, ErrorMessage = "That passkey answer is too long.")]
    public string? Credential { get; set; }

    public bool Passwordless => passkeyOptions.Value is { Enabled: true, AllowPasswordlessRegistration: true };

    public async Task<IActionResult> OnPostPasskeyOptionsAsync()
    {
        if (!options.Value.AllowRegistration || !Passwordless)
        {
            return NotFound();
        }

        ModelState.Remove(nameof(Password));
        if (!ModelState.IsValid)
        {
            return new BadRequestObjectResult(new { error = ModelState.Values.SelectMany(v => v.Errors).First().ErrorMessage });
        }

        if (await users.FindByNameAsync(UserName) is not null)
        {
            return new BadRequestObjectResult(new { error = "That user name is taken; choose another." });
        }

        var entity = new PasskeyUserEntity { Id = Guid.NewGuid().ToString(), Name = UserName, DisplayName = UserName };
        return Content(await signIn.MakePasskeyCreationOptionsAsync(entity), "application/json");
    }

    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        if (!options.Value.AllowRegistration || !Passwordless)
        {
            return NotFound();
        }

        ModelState.Remove(nameof(Password));
        if (!ModelState.IsValid || string.IsNullOrEmpty(Credential))
        {
            if (ModelState.IsValid)
            {
                ModelState.AddModelError(string.Empty, "No passkey was sent. Use the passkey button to create the account.");
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var attestation = await signIn.PerformPasskeyAttestationAsync(Credential);
        var refusal = !attestation.Succeeded || attestation.Passkey is null || attestation.UserEntity is null
            ? "The passkey was not accepted. " + attestation.Failure?.Message
            : attestation.UserEntity.Name != UserName ? "The passkey was made for another user name. Start again."
            : null;
        if (refusal is not null)
        {
            ModelState.AddModelError(string.Empty, refusal);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = new ApplicationUser { Id = attestation.UserEntity!.Id, UserName = UserName, Email = Email, UpdatedAt = time.GetUtcNow() };
        // The passkey was just used with the authenticator's user verification, as at a passkey sign-in: hwk user mfa.
        List<Claim> methods = [new(ClaimTypes.AuthenticationMethod, AuthenticationMethods.HardwareKey)];
        if (attestation.Passkey!.IsUserVerified)
        {
            methods.Add(new Claim("amr", AuthenticationMethods.MultiFactor));
        }

        return await FinishAsync(user, () => users.CreateAsync(user), methods, () => passkeys.AddAsync(user, attestation.Passkey, "Passkey made at registration"));
    }
}
