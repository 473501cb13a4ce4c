using IdentityServer.Oidc;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.RateLimiting;

/// <summary>
/// Runs just before OpenIddict's own client-secret check, at the token, introspection and revocation
/// endpoints. A secret already known to match passes at once, whatever the budgets say: a flood of wrong
/// secrets for a client id never locks out the real client. Any other secret is checked (PBKDF2) only while
/// both the client and the address have failures left; past that the answer is a 429 and nothing is
/// hashed. A wrong secret is answered here, as OpenIddict would (401 invalid_client), so it is hashed once.
/// </summary>
internal sealed class ClientSecretThrottle(IOpenIddictApplicationManager applications, ClientSecretCache secrets, ClientFailureBudgets budgets)
    : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireClientIdParameter>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireClientSecretParameter>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .UseScopedHandler<ClientSecretThrottle>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientSecret.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (context.EndpointType is not (OpenIddictServerEndpointType.Token or OpenIddictServerEndpointType.Introspection or OpenIddictServerEndpointType.Revocation)
            || context.Transaction.GetHttpRequest()?.HttpContext is not { } http
            || await applications.FindByClientIdAsync(context.ClientId!) is not OpenIddictEntityFrameworkCoreApplication application
            || application.ClientSecret is not { Length: > 0 } comparand
            || await applications.HasClientTypeAsync(application, ClientTypes.Public))
        {
            return; // OpenIddict's own handlers answer these.
        }

        var secret = context.ClientSecret!;
        if (secrets.Matched(secret, comparand))
        {
            return;
        }

        var address = ClientAddress.Key(http);
        var client = "client:" + application.ClientId;
        if (!budgets.Addresses.TryReserve(address, out var wait))
        {
            TooManyRequests.Reject(context, wait, "Too many failed client authentications from this address.");
            return;
        }

        if (!budgets.Clients.TryReserve(client, out wait))
        {
            budgets.Addresses.Release(address);
            TooManyRequests.Reject(context, wait, "Too many failed authentications for this client.");
            return;
        }

        if (await applications.ValidateClientSecretAsync(application, secret))
        {
            budgets.Addresses.Release(address);
            budgets.Clients.Release(client);
            return;
        }

        budgets.Addresses.Fail(address);
        budgets.Clients.Fail(client);
        if (context.Logger.IsEnabled(LogLevel.Information))
        {
            context.Logger.LogInformation("Client authentication failed for {ClientId}: wrong secret.", application.ClientId);
        }

        context.Reject(Errors.InvalidClient, OpenIddictResources.GetResourceString("ID2055"), OpenIddictResources.FormatID8000("ID2055"));
    }
}
