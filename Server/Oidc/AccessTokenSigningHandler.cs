using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// Signs access tokens with the ECDSA key when ES256 is configured, while identity tokens keep RS256
/// (OpenIddict would otherwise sign every token with the first registered key).
/// </summary>
internal sealed class AccessTokenSigningHandler(SigningKeys keys) : IOpenIddictServerHandler<GenerateTokenContext>
{
    // Built once: this runs for every access token issued.
    private readonly SigningCredentials? ecdsa = keys.Ecdsa is null ? null : new SigningCredentials(keys.Ecdsa, SecurityAlgorithms.EcdsaSha256);

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<AccessTokenSigningHandler>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (ecdsa is not null && context.TokenType == TokenTypeIdentifiers.AccessToken)
        {
            context.SigningCredentials = ecdsa;
        }

        return ValueTask.CompletedTask;
    }
}
