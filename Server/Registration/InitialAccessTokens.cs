namespace IdentityServer.Registration;

/// <summary>
/// The initial access tokens that allow a registration under <see cref="RegistrationPolicy.InitialAccessToken"/>. Only
/// their hashes are kept in memory, and a presented token is compared with every one of them in constant time.
/// </summary>
internal sealed class InitialAccessTokens(RegistrationOptions options)
{
    private readonly string[] hashes = [.. options.InitialAccessTokens.Select(SecretHash.Of)];

    /// <summary>Why the request may not register, or null when it may.</summary>
    public RegistrationError? Refusal(HttpRequest request)
    {
        if (options.Policy == RegistrationPolicy.Open)
        {
            return null;
        }

        var token = BearerToken.From(request);
        var matched = false;
        foreach (var hash in hashes)
        {
            // No early exit: how long this takes says nothing about which token came close.
            matched |= token is not null && SecretHash.Matches(token, hash);
        }

        if (matched)
        {
            return null;
        }

        BearerToken.Challenge(request.HttpContext.Response, tokenSent: request.Headers.Authorization.Count > 0);
        return RegistrationError.Token("Registration needs an initial access token from this server's administrator, sent as Authorization: Bearer <token>.");
    }
}
