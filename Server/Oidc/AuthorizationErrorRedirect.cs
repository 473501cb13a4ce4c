using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Oidc;

/// <summary>
/// OpenIddict never redirects errors found while validating an authorization request. RFC 6749 §4.1.2.1 says
/// to send them back to the client once the client and its redirect URI are known to be genuine; this does
/// exactly that and nothing else: an unknown client or an unregistered redirect URI gets no redirect.
/// </summary>
internal sealed class AuthorizationErrorRedirect(IOpenIddictApplicationManager applications, IOptionsMonitor<OpenIddictServerOptions> server)
{
    private const int MaxEchoedStateLength = 2048;

    public async Task<string?> TryBuildAsync(HttpContext context, OpenIddictRequest request, OpenIddictResponse error)
    {
        if (error.Error is Errors.InvalidClient or Errors.UnauthorizedClient || error.Error is null
            || string.IsNullOrEmpty(request.ClientId) || string.IsNullOrEmpty(request.RedirectUri)
            || request.State is { Length: > MaxEchoedStateLength }
            || (request.ResponseMode is not null && request.ResponseMode != ResponseModes.Query))
        {
            return null;
        }

        var application = await applications.FindByClientIdAsync(request.ClientId, context.RequestAborted);
        if (application is null || !await applications.ValidateRedirectUriAsync(application, request.RedirectUri, context.RequestAborted))
        {
            return null;
        }

        var parameters = new Dictionary<string, string?>
        {
            [Parameters.Error] = error.Error,
            [Parameters.ErrorDescription] = error.ErrorDescription,
            [Parameters.State] = request.State,
            [Parameters.Iss] = (server.CurrentValue.Issuer ?? new Uri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/")).AbsoluteUri,
        };
        return QueryHelpers.AddQueryString(request.RedirectUri, parameters.Where(p => p.Value is not null)!);
    }
}
