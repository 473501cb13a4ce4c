using IdentityServer.Keys;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// Signs access tokens with the active ECDSA key when ES256 is configured, while identity tokens keep RS256
/// (OpenIddict would otherwise sign every token with the first credential, the active RSA key).
/// </summary>
internal sealed class AccessTokenSigningHandler(IOptions<KeyOptions> keys) : IOpenIddictServerHandler<GenerateTokenContext>
{
    private readonly bool es256 = keys.Value.AccessTokenSigningAlgorithm == SigningAlgorithm.ES256;

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<AccessTokenSigningHandler>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (es256 && context.TokenType == TokenTypeIdentifiers.AccessToken)
        {
            // The credentials are ordered active first (Keys/KeySchedule.cs): the first ECDSA one signs.
            foreach (var credentials in context.Options.SigningCredentials)
            {
                if (credentials.Key is ECDsaSecurityKey)
                {
                    context.SigningCredentials = credentials;
                    break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
