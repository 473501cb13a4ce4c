using Microsoft.Net.Http.Headers;

namespace IdentityServer.Registration;

/// <summary>The bearer token of a request's Authorization header (RFC 6750 §2.1), read strictly.</summary>
internal static class BearerToken
{
    /// <summary>Null when there is no Authorization header, more than one, another scheme, or no token.</summary>
    public static string? From(HttpRequest request)
    {
        var headers = request.Headers[HeaderNames.Authorization];
        if (headers.Count != 1 || headers[0] is not { } header)
        {
            return null;
        }

        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[Scheme.Length..].Trim();
        return token.Length is > 0 and <= 1024 && !token.Any(c => c <= ' ' || c > '~') ? token : null;
    }

    /// <summary>Marks a 401 as RFC 6750 asks: no error code when no token was sent (§3.1), <c>invalid_token</c> when a bad one was.</summary>
    public static void Challenge(HttpResponse response, bool tokenSent) =>
        response.Headers.WWWAuthenticate = tokenSent ? "Bearer error=\"invalid_token\"" : "Bearer";
}
