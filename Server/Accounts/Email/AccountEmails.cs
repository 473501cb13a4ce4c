using System.Text.Encodings.Web;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityServer.Accounts.Email;

/// <summary>The messages the account pages send; links carry Identity's single-purpose tokens.</summary>
internal sealed class AccountEmails(UserManager<ApplicationUser> users, IMailer mailer, IHttpContextAccessor http)
{
    public async Task SendConfirmationAsync(ApplicationUser user, CancellationToken ct)
    {
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = Link("/Account/ConfirmEmail", ("userId", user.Id), ("code", code));
        await mailer.SendAsync(user.Email!, "Confirm your email", $"<p>Confirm your account by opening this link:</p><p><a href=\"{HtmlEncoder.Default.Encode(link)}\">{HtmlEncoder.Default.Encode(link)}</a></p>", ct);
    }

    public async Task SendEmailChangeAsync(ApplicationUser user, string newEmail, CancellationToken ct)
    {
        var code = Encode(await users.GenerateChangeEmailTokenAsync(user, newEmail));
        var link = Link("/Account/ConfirmEmail", ("userId", user.Id), ("email", newEmail), ("code", code));
        await mailer.SendAsync(newEmail, "Confirm your new email", $"<p>Confirm this address for your account by opening this link:</p><p><a href=\"{HtmlEncoder.Default.Encode(link)}\">{HtmlEncoder.Default.Encode(link)}</a></p>", ct);
    }

    public async Task SendPasswordResetAsync(ApplicationUser user, CancellationToken ct)
    {
        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        var link = Link("/Account/ResetPassword", ("email", user.Email!), ("code", code));
        await mailer.SendAsync(user.Email!, "Reset your password", $"<p>Choose a new password by opening this link:</p><p><a href=\"{HtmlEncoder.Default.Encode(link)}\">{HtmlEncoder.Default.Encode(link)}</a></p><p>If you did not ask for this, ignore this message.</p>", ct);
    }

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(token));

    private string Link(string path, params (string Key, string Value)[] query)
    {
        var request = http.HttpContext!.Request;
        return QueryHelpers.AddQueryString($"{request.Scheme}://{request.Host}{request.PathBase}{path}", query.ToDictionary(q => q.Key, q => (string?)q.Value));
    }
}
