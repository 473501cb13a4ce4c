using System.Text;
using IdentityServer.Oidc;
using IdentityServer.Oidc.Storage;
using Microsoft.Extensions.Primitives;

namespace IdentityServer.RateLimiting;

/// <summary>
/// A shortcut for floods. While an address or a client is blocked for wrong secrets, a request from it to
/// the token, introspection or revocation endpoint whose secret is not one already known to match is
/// refused here, before routing and OpenIddict: a refusal through the whole protocol pipeline costs a good
/// part of an issued token (bench/README.md, "Flood"), which a flood multiplies. Only a certain 429 is answered here; anything
/// else (no snapshot of the client, unreadable credentials) goes on to <see cref="ClientSecretThrottle"/>,
/// which decides the same way.
/// </summary>
internal sealed class EarlyClientRefusal(RequestDelegate next, ClientFailureBudgets budgets, ApplicationSnapshots applications, ClientSecretCache secrets)
{
    private static readonly PathString[] Endpoints = ["/connect/token", "/connect/introspect", "/connect/revoke"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !Endpoints.Any(e => context.Request.Path.Equals(e, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }

        var wait = budgets.Addresses.BlockedFor(ClientAddress.Key(context));
        if (await CredentialsAsync(context) is var (id, secret)
            && (wait ?? budgets.Clients.BlockedFor("client:" + id)) is { } blocked
            && applications.FindByClientId(id) is { ClientSecret: { Length: > 0 } comparand }
            && !secrets.Matched(secret, comparand))
        {
            var seconds = TooManyRequests.Seconds(blocked);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = TooManyRequests.Header(seconds);
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
            {
                ["error"] = TooManyRequests.Error,
                ["error_description"] = $"Too many failed client authentications. Retry after {seconds} seconds.",
            }, context.RequestAborted);
            return;
        }

        await next(context);
    }

    /// <summary>client_id and client_secret from the Basic header or the form, as OpenIddict reads them; null when unclear.</summary>
    private static async Task<(string Id, string Secret)?> CredentialsAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon > 0 ? (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..])) : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        try
        {
            // OpenIddict reads the same form next; ASP.NET Core keeps it, so it is parsed once.
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return Single(form["client_id"]) is { } id && Single(form["client_secret"]) is { } secret ? (id, secret) : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static string? Single(StringValues values) => values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
