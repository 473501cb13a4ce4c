using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Admin;

/// <summary>
/// Admin access tokens always get a database row, even issued to a machine client (where the server otherwise
/// skips it, see <c>Oidc/TokenRowsHandler</c>): the admin API validates them with token entry validation, so a
/// revoked one (at /connect/revoke, or by deleting its client) is refused at once. Runs right after that handler.
/// </summary>
internal sealed class AdminTokenRows : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<AdminTokenRows>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 3)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        if (context.TokenType == TokenTypeIdentifiers.AccessToken && context.Principal?.HasAudience(AdminOptions.Audience) == true)
        {
            context.CreateTokenEntry = true;
        }

        return ValueTask.CompletedTask;
    }
}
