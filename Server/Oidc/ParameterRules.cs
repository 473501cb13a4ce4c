using Microsoft.Extensions.Primitives;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// Rules every protocol request must keep before anything is done with it: no parameter twice (RFC 6749
/// §3.1 — OpenIddict would otherwise read a repeated <c>prompt</c> or <c>max_age</c> as absent, so
/// <c>prompt=login&amp;prompt=login</c> skipped the sign-in), no authorization parameter absurdly long (a 64 KB state, say), and
/// <c>max_age</c> a number when present. Running during validation means OpenIddict never echoes such a
/// request back to the client.
/// </summary>
internal sealed class ParameterRules<TContext> : IOpenIddictServerHandler<TContext>
    where TContext : BaseValidatingContext
{
    internal const int MaxLength = 4096;

    /// <summary>
    /// Only an authorization request's parameters (plain or pushed) are capped: OpenIddict echoes them (state) to the
    /// browser. Elsewhere tokens and assertions travel as parameters, and a refresh token may be long.
    /// </summary>
    private static readonly bool CapLength = typeof(TContext) == typeof(ValidateAuthorizationRequestContext)
        || typeof(TContext) == typeof(ValidatePushedAuthorizationRequestContext);

    /// <summary>RFC 8707 and RFC 8693 let these name several values.</summary>
    private static readonly string[] Repeatable = [Parameters.Resource, Parameters.Audience];

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>()
            .UseSingletonHandler<ParameterRules<TContext>>()
            .SetOrder(int.MinValue + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(TContext context)
    {
        if (context.Transaction.Request is not { } request)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var (name, value) in request.GetParameters())
        {
            var values = (StringValues)value;
            if (values.Count > 1 && !Repeatable.Contains(name))
            {
                context.Reject(Errors.InvalidRequest, $"The '{name}' parameter is given more than once.");
                return ValueTask.CompletedTask;
            }

            if (CapLength && values.Any(v => v?.Length > MaxLength))
            {
                context.Reject(Errors.InvalidRequest, $"The '{name}' parameter is too long (at most {MaxLength} characters).");
                return ValueTask.CompletedTask;
            }
        }

        if (request.HasParameter(Parameters.MaxAge) && request.MaxAge is null)
        {
            context.Reject(Errors.InvalidRequest, "The max_age parameter must be a whole number of seconds.");
        }

        return ValueTask.CompletedTask;
    }
}
