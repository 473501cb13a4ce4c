using IdentityServer.Accounts;
using IdentityServer.Data;
using IdentityServer.External;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using OpenIddict.Client.AspNetCore;
using static OpenIddict.Client.AspNetCore.OpenIddictClientAspNetCoreConstants;

namespace IdentityServer.Pages.Account;

/// <summary>Starts a sign-in (or, from the account page, a link) with an external provider.</summary>
internal sealed partial class ExternalModel(IReadOnlyList<ExternalProvider> providers, UserManager<ApplicationUser> users, ILogger<ExternalModel> logger) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Account/Login");

    public async Task<IActionResult> OnPostAsync(string? provider, string? returnUrl, bool link = false)
    {
        if (provider is null || !providers.Any(p => p.Name == provider))
        {
            return RedirectToPage("/Account/ExternalError", new { provider, reason = "not_configured" });
        }

        var properties = new AuthenticationProperties(new Dictionary<string, string?> { [Properties.ProviderName] = provider })
        {
            RedirectUri = Url.IsLocalUrl(returnUrl) ? returnUrl : "/",
        };
        if (link)
        {
            var userId = users.GetUserId(User);
            if (userId is null)
            {
                return RedirectToPage("/Account/Login");
            }

            if (!await RecentSignIn.IsRecentAsync(HttpContext))
            {
                return Redirect(RecentSignIn.LoginUrl("/Account/Manage/Logins"));
            }

            properties.Items[ExternalEndpoints.LinkItem] = userId;
        }

        try
        {
            // Challenged here, not by a ChallengeResult, so an unreachable provider becomes a friendly page.
            await HttpContext.ChallengeAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme, properties);
            return new EmptyResult();
        }
        catch (Exception e) when (e is HttpRequestException or OpenIddictExceptions.ProtocolException or InvalidOperationException or TaskCanceledException)
        {
            LogUnreachable(provider, e.GetType().Name, e.Message);
            Response.Clear();
            return RedirectToPage("/Account/ExternalError", new { provider, reason = "unreachable" });
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sign-in with {Provider} could not start: {Kind}: {Reason}")]
    private partial void LogUnreachable(string provider, string kind, string reason);
}
