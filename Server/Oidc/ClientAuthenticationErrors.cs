using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// RFC 6749 §5.2: a client that did not (or could not) authenticate gets <c>invalid_client</c>, which OpenIddict
/// answers with 401 and <c>WWW-Authenticate: Basic</c>. OpenIddict itself reports some of those failures under
/// other codes; this turns them into <c>invalid_client</c> at the token, introspection and revocation endpoints,
/// before the status and headers are chosen:
/// <list type="bullet">
/// <item>no client_id at all, or client_credentials without a secret (OpenIddict: <c>invalid_request</c>);</item>
/// <item>an Authorization header that is not valid Basic credentials (<c>invalid_request</c>);</item>
/// <item>a client assertion (private_key_jwt) that fails validation (<c>invalid_token</c>);</item>
/// <item>a public client — one with no credentials to present — asking for client_credentials
/// (<c>unauthorized_client</c>, which RFC 6749 keeps for an <em>authenticated</em> client) or for introspection.</item>
/// </list>
/// Sending credentials in both the header and the form stays <c>invalid_request</c> (400), as §5.2 lists it.
/// It runs first among the response handlers (before the metrics record the code and long before OpenIddict picks
/// the status and headers) and reads only the error already chosen: a successful response costs it one null check.
/// </summary>
internal sealed class ClientAuthenticationErrors<TContext> : IOpenIddictServerHandler<TContext> where TContext : BaseRequestContext
{
    private const string ErrorPage = "https://documentation.openiddict.com/errors/";
    private const string PublicClient = "This is a public client: it has no credentials, and this request needs an authenticated client.";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<ClientAuthenticationErrors<TContext>>()
            .SetOrder(int.MinValue + 50)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(TContext context)
    {
        if (context.Transaction.Response is not { Error: { } error } response || context.Transaction.Request is not { } request)
        {
            return ValueTask.CompletedTask;
        }

        var id = response.ErrorUri is { } uri && uri.StartsWith(ErrorPage, StringComparison.Ordinal) ? uri[ErrorPage.Length..] : null;
        var unidentified = string.IsNullOrEmpty(request.ClientId) && string.IsNullOrEmpty(request.ClientAssertion);
        var noCredentials = string.IsNullOrEmpty(request.ClientSecret) && string.IsNullOrEmpty(request.ClientAssertion);
        var description = (error, id) switch
        {
            (Errors.InvalidRequest, "ID2029") when unidentified => "The client did not authenticate: send its client_id (and client_secret, for a confidential client).",
            (Errors.InvalidRequest, "ID2057") => "The client did not authenticate: client_credentials needs the client's client_id and client_secret.",
            (Errors.InvalidRequest, "ID2055") => "The Authorization header does not carry valid HTTP Basic client credentials.",
            (Errors.UnauthorizedClient, "ID2043") => PublicClient,
            // A client that got this far without credentials is a public one (a confidential one fails earlier, ID2054).
            (Errors.UnauthorizedClient, "ID2075") when noCredentials => PublicClient,
            // OpenIddict validates a client assertion as a token: its failures (audience, type, signature) say
            // invalid_token, but it is the client that failed to authenticate (RFC 7523 §3.1).
            (Errors.InvalidToken, _) when !string.IsNullOrEmpty(request.ClientAssertion) => "The client assertion was refused: " + response.ErrorDescription,
            _ => null,
        };

        if (description is not null)
        {
            response.Error = Errors.InvalidClient;
            response.ErrorDescription = description;
            response.ErrorUri = null;
        }

        return ValueTask.CompletedTask;
    }
}
