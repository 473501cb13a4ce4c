using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlerFilters;

namespace IdentityServer.Oidc.Storage;

/// <summary>
/// OpenIddict looks every token that is not a JWT up as a reference identifier first. Here only
/// authorization codes are reference identifiers (43 characters); refresh tokens are Data Protection
/// blobs of a kilobyte or more, so their lookup was a wasted query on every refresh. Tokens that cannot
/// be a reference identifier skip it; anything else goes through OpenIddict's own handler unchanged.
/// Should a longer reference identifier ever appear, it would be rejected, never accepted.
/// </summary>
internal sealed class ReferenceTokenLookup(IOpenIddictTokenManager tokens) : IOpenIddictServerHandler<ValidateTokenContext>
{
    private const int LongestReferenceIdentifier = 128;

    private readonly OpenIddictServerHandlers.Protection.ValidateReferenceTokenIdentifier inner = new(tokens);

    public static OpenIddictServerHandlerDescriptor Replaced => OpenIddictServerHandlers.Protection.ValidateReferenceTokenIdentifier.Descriptor;

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<RequireDegradedModeDisabled>()
            .AddFilter<RequireTokenStorageEnabled>()
            .UseScopedHandler<ReferenceTokenLookup>()
            .SetOrder(Replaced.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateTokenContext context) =>
        context.Token is { Length: <= LongestReferenceIdentifier } ? inner.HandleAsync(context) : ValueTask.CompletedTask;
}
