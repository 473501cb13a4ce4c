using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// Rejects absurdly long parameters (a 64 KB state, say) before anything is done with them. Running during
/// validation means OpenIddict will not echo them back to the client in a redirect.
/// </summary>
internal sealed class ParameterLengthHandler : IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    internal const int MaxLength = 4096;

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseSingletonHandler<ParameterLengthHandler>()
            .SetOrder(int.MinValue + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        foreach (var (name, value) in context.Request.GetParameters())
        {
            if (((string?)value)?.Length > MaxLength)
            {
                context.Reject(Errors.InvalidRequest, $"The '{name}' parameter is too long (at most {MaxLength} characters).");
                break;
            }
        }

        return ValueTask.CompletedTask;
    }
}
