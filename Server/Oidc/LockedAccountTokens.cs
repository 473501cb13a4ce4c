using System.Diagnostics.CodeAnalysis;
using IdentityServer.Data;
using IdentityServer.Oidc.Storage;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// A locked or deleted account's access tokens stop working at once here: introspection answers
/// <c>{"active": false}</c> for them (OpenIddict turns an <c>invalid_token</c> rejection into that answer),
/// as the userinfo endpoint answers <c>invalid_token</c>. A JWT an API validates on its own lives out its
/// 15 minutes; refresh tokens and codes are refused at the token endpoint. Machine tokens (subject = client)
/// need no lookup.
/// </summary>
internal sealed class LockedAccountTokens(ApplicationDbContext db, CompiledQueries queries, TimeProvider time)
    : IOpenIddictServerHandler<ValidateIntrospectionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateIntrospectionRequestContext>()
            .UseScopedHandler<LockedAccountTokens>()
            .SetOrder(OpenIddictServerHandlers.Introspection.ValidateAuthorizedParty.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateIntrospectionRequestContext context)
    {
        var principal = context.GenericTokenPrincipal;
        if (principal?.GetClaim(Claims.Subject) is not { } subject || subject == principal.GetClaim(Claims.ClientId) || subject == principal.GetClaim(Claims.Private.Presenter))
        {
            return;
        }

        var user = await queries.UserById(db, subject, context.CancellationToken);
        if (!CanUseTokens(user, time.GetUtcNow()))
        {
            context.Reject(Errors.InvalidToken, "The account this token was issued for is locked or no longer exists.");
        }
    }

    /// <summary>The same lockout rule as sign-in: locked while <c>LockoutEnd</c> is in the future.</summary>
    public static bool CanUseTokens([NotNullWhen(true)] ApplicationUser? user, DateTimeOffset now) =>
        user is not null && !(user.LockoutEnabled && user.LockoutEnd is { } end && end > now);
}
