using IdentityServer.External;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Account;

/// <summary>
/// A provider said no, could not be reached, or sent back something unusable: explain, offer a retry.
/// Only configured provider names and messages from a fixed set are shown, never text from the address.
/// </summary>
internal sealed class ExternalErrorModel(IReadOnlyList<ExternalProvider> providers) : PageModel
{
    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["access_denied"] = "you declined the request",
        ["not_configured"] = "this sign-in provider is not configured",
        ["unreachable"] = "the provider could not be reached",
        [ExternalErrors.Relink] = "you need to sign in again before linking a provider",
        [ExternalErrors.LinkedElsewhere] = "this provider account is already linked to another account",
        [ExternalErrors.NotCreated] = "the account could not be created",
        [ExternalErrors.NotAllowed] = "this account cannot sign in yet (is its email address confirmed?)",
        [ExternalErrors.Locked] = "the account is temporarily locked",
    };

    public string Provider { get; private set; } = "the provider";

    public string Reason { get; private set; } = "";

    public void OnGet(string? provider, string? reason)
    {
        Provider = providers.FirstOrDefault(p => p.Name == provider)?.DisplayName ?? "the provider";
        Reason = reason is not null && Reasons.TryGetValue(reason, out var text) ? text : "the sign-in could not be completed";
        Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
