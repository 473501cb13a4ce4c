using Microsoft.AspNetCore.Authorization;

namespace IdentityServer.Admin.Console;

/// <summary>Why the console turned a signed-in person away; <see cref="ConsoleAccessResults"/> answers each differently.</summary>
internal sealed class ConsoleRefusal(IAuthorizationHandler handler, ConsoleRefusalKind kind, string message)
    : AuthorizationFailureReason(handler, message)
{
    public ConsoleRefusalKind Kind { get; } = kind;
}
