using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc;

/// <summary>
/// A client assertion (private_key_jwt, RFC 7523 §3) works once: its <c>jti</c> is recorded as a token row,
/// which every instance sees and the prune job removes once the assertion has expired, and an assertion whose
/// <c>jti</c> is on record is <c>invalid_client</c>. OpenIddict checks the signature, issuer, audience and
/// lifetime, not reuse.
/// </summary>
internal sealed class ClientAssertionReplay(TimeProvider time) : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    /// <summary>The type of the rows that record used assertions (never a token anyone holds).</summary>
    public const string UsedAssertion = "urn:identityserver:used_client_assertion";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
            .UseSingletonHandler<ClientAssertionReplay>()
            .SetOrder(OpenIddictServerHandlers.ValidateClientAssertion.Descriptor.Order + 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        if (context.ClientAssertionPrincipal is not { } assertion)
        {
            return;
        }

        var jti = assertion.GetClaim(Claims.JwtId);
        if (string.IsNullOrEmpty(jti))
        {
            context.Reject(Errors.InvalidClient, "The client assertion has no jti: each assertion must be unique (RFC 7523 §3).");
            return;
        }

        // Resolved only here: every other request (a machine token with a secret, say) never builds the token manager.
        var tokens = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IOpenIddictTokenManager>();
        var issuer = assertion.GetClaim(Claims.Issuer) ?? "";
        var reference = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(issuer + "\n" + jti)));
        if (await tokens.FindByReferenceIdAsync(reference, context.CancellationToken) is not null)
        {
            context.Reject(Errors.InvalidClient, "This client assertion was used before: sign a new one, with a new jti, for every request.");
            return;
        }

        var now = time.GetUtcNow();
        await tokens.CreateAsync(new OpenIddictTokenDescriptor
        {
            ReferenceId = reference,
            Type = UsedAssertion,
            Status = Statuses.Redeemed,
            Subject = issuer,
            CreationDate = now,
            ExpirationDate = assertion.GetExpirationDate() ?? now.AddMinutes(5),
        }, context.CancellationToken);
    }
}
