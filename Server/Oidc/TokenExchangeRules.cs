using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// What a token exchange (RFC 8693) request must be: no actor token (the authenticated client is the actor), a
/// named target, and a subject token issued for the exchanging client's own API. OpenIddict accepts a subject
/// token only when the client is its audience or presenter; here an API exchanges the tokens sent to it, whose
/// audience is the API's URI, so the client's declared <c>SubjectTokenAudiences</c> decide instead: a token for
/// any other API is refused, and a token that passes is marked as presented by the client for OpenIddict's check.
/// </summary>
internal sealed class TokenExchangeRules : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    private readonly bool subjectToken;

    private TokenExchangeRules(bool subjectToken) => this.subjectToken = subjectToken;

    public static OpenIddictServerHandlerDescriptor RequestDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler(new TokenExchangeRules(subjectToken: false))
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateTokenExchangeParameters.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor SubjectTokenDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseSingletonHandler(new TokenExchangeRules(subjectToken: true))
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthorizedParty.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        if (!context.Request.IsTokenExchangeGrantType())
        {
            return;
        }

        if (!subjectToken)
        {
            if (context.Request.HasParameter(Parameters.ActorToken) || context.Request.HasParameter(Parameters.ActorTokenType))
            {
                context.Reject(Errors.InvalidRequest, "actor_token is not accepted: the authenticated client is the actor.");
            }
            else if (context.Request.GetResources().IsEmpty && context.Request.GetAudiences().IsEmpty)
            {
                context.Reject(Errors.InvalidTarget, "Name the API the new token is for with the resource or audience parameter.");
            }

            return;
        }

        if (context.SubjectTokenPrincipal is not { } subject || context.ClientId is not { } clientId)
        {
            return;
        }

        var applications = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(clientId, context.CancellationToken);
        var settings = application is null ? null : await applications.GetSettingsAsync(application, context.CancellationToken);
        var accepted = settings is not null && settings.TryGetValue(ClientSettings.SubjectTokenAudiences, out var list) ? list.Split(' ') : [];
        if (!subject.GetAudiences().Any(accepted.Contains))
        {
            context.Reject(Errors.InvalidGrant, "The subject token was not issued for this client's API, so this client may not exchange it.");
            return;
        }

        context.SubjectTokenPrincipal = subject.SetPresenters(subject.GetPresenters().Add(clientId));
    }
}
