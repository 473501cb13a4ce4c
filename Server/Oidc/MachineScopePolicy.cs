using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// A client_credentials token speaks for the client alone: no person signed in, so there is nothing for an
/// identity token to prove (OpenID Connect Core §3.1.3.3 issues one only for a sign-in), and RFC 6749 §4.4.3
/// says no refresh token. Asking for <c>openid</c> or <c>offline_access</c> there is refused as
/// <c>invalid_scope</c> rather than quietly ignored, whatever scopes the client may use in other flows.
/// A check of the request's own parameters: it costs the machine-token path no lookup.
/// </summary>
internal sealed class MachineScopePolicy : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler<MachineScopePolicy>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopes.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (context.Request.IsClientCredentialsGrantType()
            && (context.Request.HasScope(Scopes.OpenId) || context.Request.HasScope(Scopes.OfflineAccess)))
        {
            context.Reject(Errors.InvalidScope, $"The client_credentials grant issues access tokens only: the '{Scopes.OpenId}' and '{Scopes.OfflineAccess}' scopes belong to a person's sign-in.");
        }

        return ValueTask.CompletedTask;
    }
}
