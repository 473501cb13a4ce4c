using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// Decides which issued tokens get a database row. A row is what makes a token revocable and lets
/// the server refuse it after a code replay or a signed-out session, so it is kept wherever the server
/// must be able to take a token back, and skipped where it would only cost a write:
/// <list type="bullet">
/// <item>access tokens issued to machine clients (client_credentials): self-contained 15-minute JWTs that
/// cannot be revoked individually; introspection answers from their signature and expiry;</item>
/// <item>identity tokens: they prove a sign-in to the client and are never accepted as credentials here;
/// as an <c>id_token_hint</c> only their signature, issuer and audience are checked.</item>
/// </list>
/// Authorization codes, refresh tokens and access tokens issued for a person keep their rows.
/// </summary>
internal sealed class TokenRowsHandler : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<TokenRowsHandler>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 2)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        var machineAccessToken = context.TokenType == TokenTypeIdentifiers.AccessToken && context.Request?.IsClientCredentialsGrantType() == true;
        if (machineAccessToken || context.TokenType == TokenTypeIdentifiers.IdentityToken)
        {
            context.CreateTokenEntry = false;
            context.PersistTokenPayload = false;
        }

        return ValueTask.CompletedTask;
    }
}
