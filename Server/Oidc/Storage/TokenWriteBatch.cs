using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityServer.Oidc.Storage;

/// <summary>
/// One write for the rows a token response creates. At the token endpoint OpenIddict saves each new
/// token (access, refresh) on its own, one SQLite transaction each; from the start of the sign-in the
/// token store only adds them, and <see cref="Flush"/> saves them together as the response is applied —
/// before it is written, so no client ever holds a token whose row is missing. An error response drops
/// them. Redeeming the presented code or refresh token is not batched: it is saved at once, with its
/// concurrency check.
/// </summary>
internal sealed class TokenWriteBatch(ApplicationDbContext context)
{
    public bool Active { get; private set; }

    private Task<int> SaveAsync(CancellationToken cancellationToken) => context.SaveChangesAsync(cancellationToken);

    // An error response issues no token: its rows are dropped, never written by a later save.
    private void Discard()
    {
        foreach (var entry in context.ChangeTracker.Entries<OpenIddictEntityFrameworkCoreToken>().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    public static OpenIddictServerHandlerDescriptor Begin { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .UseScopedHandler<BeginHandler>()
            .SetOrder(int.MinValue + 100)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor Flush { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<FlushHandler>()
            .SetOrder(int.MinValue + 100)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    internal sealed class BeginHandler(TokenWriteBatch batch) : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public ValueTask HandleAsync(ProcessSignInContext context)
        {
            batch.Active = context.EndpointType == OpenIddictServerEndpointType.Token;
            return ValueTask.CompletedTask;
        }
    }

    internal sealed class FlushHandler(TokenWriteBatch batch) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public async ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (!batch.Active)
            {
                return;
            }

            batch.Active = false;
            if (context.Response.Error is null)
            {
                await batch.SaveAsync(context.CancellationToken);
            }
            else
            {
                batch.Discard();
            }
        }
    }
}
