using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace IdentityServer.Registration;

/// <summary>
/// The client registration endpoint (RFC 7591) and the client configuration endpoint (RFC 7592: read and delete with
/// the registration access token). Every answer is JSON and <c>no-store</c>: a success carries a bearer token.
/// </summary>
internal static class RegistrationEndpoints
{
    public const string Path = "connect/register";

    public static async Task<Results<Created<ClientInformation>, JsonHttpResult<RegistrationError>>> RegisterAsync(
        HttpContext context, InitialAccessTokens initialTokens, IOptions<RegistrationOptions> options, RegisteredClients clients, IOptionsMonitor<OpenIddictServerOptions> server)
    {
        NoStore(context.Response);
        if (initialTokens.Refusal(context.Request) is { } refusal)
        {
            return Error(refusal);
        }

        var (document, bodyError) = await JsonBody.ReadAsync(context.Request, context.RequestAborted);
        using (document)
        {
            if (bodyError is not null)
            {
                return Error(bodyError);
            }

            var (metadata, metadataError) = ClientMetadataRules.Check(document!.RootElement, options.Value);
            if (metadataError is not null)
            {
                return Error(metadataError);
            }

            var registered = await clients.RegisterAsync(metadata!, context.RequestAborted);
            var location = ClientUri(context, server.CurrentValue, registered.ClientId);
            return TypedResults.Created(location, registered with { RegistrationClientUri = location });
        }
    }

    public static async Task<Results<Ok<ClientInformation>, JsonHttpResult<RegistrationError>>> ReadAsync(
        HttpContext context, string clientId, RegisteredClients clients, IOptionsMonitor<OpenIddictServerOptions> server)
    {
        NoStore(context.Response);
        var (application, token, refusal) = await AuthorizedAsync(context, clientId, clients);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        // The token is not rotated on reads: the one presented stays the client's (RFC 7592 §3 lets the server keep it).
        var information = await clients.DescribeAsync(application!, context.RequestAborted);
        return TypedResults.Ok(information with { RegistrationAccessToken = token, RegistrationClientUri = ClientUri(context, server.CurrentValue, clientId) });
    }

    public static async Task<Results<NoContent, JsonHttpResult<RegistrationError>>> DeleteAsync(HttpContext context, string clientId, RegisteredClients clients)
    {
        NoStore(context.Response);
        var (application, _, refusal) = await AuthorizedAsync(context, clientId, clients);
        if (refusal is not null)
        {
            return Error(refusal);
        }

        await clients.DeleteAsync(application!, context.RequestAborted);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The client, when the request carries its registration access token. An unknown client, a configured one and a
    /// wrong token get the same 401 (RFC 7592 §2): the answer never says whether a client id exists.
    /// </summary>
    private static async Task<(object? Application, string? Token, RegistrationError? Refusal)> AuthorizedAsync(HttpContext context, string clientId, RegisteredClients clients)
    {
        var token = BearerToken.From(context.Request);
        if (token is not null && await clients.FindAsync(clientId, token, context.RequestAborted) is { } application)
        {
            return (application, token, null);
        }

        BearerToken.Challenge(context.Response, tokenSent: context.Request.Headers.Authorization.Count > 0);
        return (null, null, RegistrationError.Token("Send the registration access token this client was registered with, as Authorization: Bearer <token>."));
    }

    private static JsonHttpResult<RegistrationError> Error(RegistrationError error) => TypedResults.Json(error, statusCode: error.Status);

    /// <summary>Under the configured issuer; in Development without one, under the request's own address, as OpenIddict's discovery does.</summary>
    private static string ClientUri(HttpContext context, OpenIddictServerOptions server, string clientId)
    {
        var issuer = server.Issuer?.AbsoluteUri ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/";
        return $"{issuer.TrimEnd('/')}/{Path}/{Uri.EscapeDataString(clientId)}";
    }

    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
