using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Account;

/// <summary>A provider said no, could not be reached, or sent back something unusable: explain, offer a retry.</summary>
internal sealed class ExternalErrorModel : PageModel
{
    public string Provider { get; private set; } = "";

    public string Reason { get; private set; } = "";

    public void OnGet(string? provider, string? reason)
    {
        Provider = provider is { Length: <= 40 } ? provider : "the provider";
        Reason = reason switch
        {
            "access_denied" => "you declined the request",
            { Length: <= 200 } text => text,
            _ => "the sign-in could not be completed",
        };
        Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
