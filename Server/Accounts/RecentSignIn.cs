using IdentityServer.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace IdentityServer.Accounts;

/// <summary>
/// Sensitive account changes (email, password, 2FA, linked logins, delete) need an interactive authentication
/// within <c>Sessions:ReauthenticationWindow</c> (5 minutes): a stolen session alone cannot make them.
/// On a POST without one the person is sent to sign in again (password and, if enabled, the second factor)
/// and comes back to the page.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RequireRecentSignInAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && !await RecentSignIn.IsRecentAsync(http))
        {
            context.Result = new RedirectResult(RecentSignIn.LoginUrl(http.Request.PathBase + http.Request.Path + ReturnUrlOf(http.Request)));
            return;
        }

        await next();
    }

    /// <summary>A page's own way back (TOTP enrolment asked for by a step-up) survives the detour through sign-in.</summary>
    private static string ReturnUrlOf(HttpRequest request)
    {
        var returnUrl = request.HasFormContentType ? request.Form["ReturnUrl"].ToString() : "";
        return returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? QueryString.Create("ReturnUrl", returnUrl).ToUriComponent()
            : "";
    }
}

internal static class RecentSignIn
{
    public static async Task<bool> IsRecentAsync(HttpContext context)
    {
        var cookie = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var window = context.RequestServices.GetRequiredService<IOptions<SessionLifetimeOptions>>().Value.ReauthenticationWindow;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        return cookie.Succeeded && DatabaseTicketStore.AuthenticatedAt(cookie.Properties) is { } at && now - at <= window;
    }

    public static string LoginUrl(string returnUrl) =>
        "/Account/Login?Reauthenticate=true&ReturnUrl=" + Uri.EscapeDataString(returnUrl);
}
