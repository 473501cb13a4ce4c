using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlerFilters;

namespace IdentityServer.Oidc;

/// <summary>
/// OpenIddict's revocation endpoint revokes exactly the token it is given. RFC 7009 §2.1: revoking a refresh
/// token SHOULD also invalidate the access tokens of the same grant. Every token of the grant (the refresh
/// chain and the access tokens issued along it) is revoked in one statement, and so is the grant itself when
/// it is the ad-hoc one a sign-in created; the permanent authorization that records consent is left alone.
/// </summary>
internal sealed class RefreshTokenRevocation(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations)
    : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
            .AddFilter<RequireDegradedModeDisabled>()
            .UseScopedHandler<RefreshTokenRevocation>()
            .SetOrder(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        if (context.GenericTokenPrincipal is not { } principal || principal.GetTokenType() != TokenTypeIdentifiers.RefreshToken
            || principal.GetAuthorizationId() is not { Length: > 0 } authorizationId)
        {
            return;
        }

        var ct = context.CancellationToken;
        await tokens.RevokeByAuthorizationIdAsync(authorizationId, ct);
        if (await authorizations.FindByIdAsync(authorizationId, ct) is { } authorization
            && await authorizations.HasTypeAsync(authorization, AuthorizationTypes.AdHoc, ct))
        {
            await authorizations.TryRevokeAsync(authorization, ct);
        }
    }
}
