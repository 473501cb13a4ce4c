using System.Text;
using System.Text.Encodings.Web;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityServer.Accounts.Email;

/// <summary>
/// The messages the account pages send; links carry Identity's single-purpose tokens and point at the
/// issuer (<see cref="EmailLinks"/>), never at the request's host. Messages are queued, not sent, here.
/// </summary>
internal sealed class AccountEmails(UserManager<ApplicationUser> users, MailQueue queue, EmailLinks links)
{
    public async Task SendConfirmationAsync(ApplicationUser user)
    {
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = links.To("/Account/ConfirmEmail", ("userId", user.Id), ("code", code));
        queue.Enqueue(new OutgoingMail(user.Email!, "Confirm your email", $"<p>Confirm your account by opening this link:</p>{Anchor(link)}"));
    }

    public async Task SendEmailChangeAsync(ApplicationUser user, string newEmail)
    {
        var code = Encode(await users.GenerateChangeEmailTokenAsync(user, newEmail));
        var link = links.To("/Account/ConfirmEmail", ("userId", user.Id), ("email", newEmail), ("code", code));
        queue.Enqueue(new OutgoingMail(newEmail, "Confirm your new email", $"<p>Confirm this address for your account by opening this link:</p>{Anchor(link)}"));
    }

    public async Task SendPasswordResetAsync(ApplicationUser user)
    {
        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        var link = links.To("/Account/ResetPassword", ("email", user.Email!), ("code", code));
        queue.Enqueue(new OutgoingMail(user.Email!, "Reset your password", $"<p>Choose a new password by opening this link:</p>{Anchor(link)}<p>If you did not ask for this, ignore this message.</p>"));
    }

    /// <summary>
    /// A new way into the account that a password reset does not undo: its owner hears of it at once, so a passkey
    /// added from a stolen session does not stay unnoticed.
    /// </summary>
    public void SendPasskeyAdded(ApplicationUser user, string name) =>
        queue.Enqueue(new OutgoingMail(user.Email!, "A passkey was added to your account",
            $"<p>A passkey named <strong>{HtmlEncoder.Default.Encode(name)}</strong> was added to your account. It signs in without your password.</p>"
            + $"<p>If it was not you, remove it here, then reset your password (a reset does not remove passkeys):</p>{Anchor(links.To("/Account/Manage/Passkeys"))}"));

    /// <summary>Someone registered with an address that already has an account: its owner hears of it, the visitor learns nothing.</summary>
    public void SendAlreadyRegistered(ApplicationUser owner) =>
        queue.Enqueue(new OutgoingMail(owner.Email!, "Someone tried to register with your address",
            $"<p>Someone tried to create an account with this address, which already has one.</p><p>If it was you, sign in:</p>{Anchor(links.To("/Account/Login"))}"
            + $"<p>or, if you forgot your password, reset it:</p>{Anchor(links.To("/Account/ForgotPassword"))}<p>If it was not you, ignore this message: nothing was changed.</p>"));

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    private static string Anchor(string link)
    {
        var encoded = HtmlEncoder.Default.Encode(link);
        return $"<p><a href=\"{encoded}\">{encoded}</a></p>";
    }
}
