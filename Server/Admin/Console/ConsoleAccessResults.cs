using IdentityServer.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace IdentityServer.Admin.Console;

/// <summary>
/// Answers a refusal of the console policy by its reason. The sign-in cookie's own answer to a forbidden request
/// is its access-denied path, the sign-in page: a non-admin would sign in and come back to the same refusal, a
/// loop. Every other policy's result goes to ASP.NET Core's own handler.
/// </summary>
internal sealed class ConsoleAccessResults : IAuthorizationMiddlewareResultHandler
{
    public const string DeniedPath = "/Admin/Denied";

    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var refusal = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<ConsoleRefusal>().FirstOrDefault();
        if (!authorizeResult.Forbidden || refusal is null)
        {
            return fallback.HandleAsync(next, context, policy, authorizeResult);
        }

        var request = context.Request;
        context.Response.Redirect(refusal.Kind == ConsoleRefusalKind.Reauthenticate
            ? RecentSignIn.LoginUrl(request.PathBase + request.Path + request.QueryString)
            : request.PathBase + DeniedPath);
        return Task.CompletedTask;
    }
}
