using IdentityServer.Data;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace IdentityServer.Seeding;

/// <summary>The scopes and clients configuration declares: created, updated, and removed once undeclared.</summary>
internal sealed class ScopeAndClientSeeder(
    IOptions<SeedOptions> options,
    IOpenIddictApplicationManager applications,
    IOpenIddictScopeManager scopes,
    DeclaredEntries declared,
    ILogger<ScopeAndClientSeeder> logger)
{
    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var changes = 0;
        foreach (var scope in options.Value.Scopes)
        {
            changes += await UpsertScopeAsync(scope, cancellationToken) ? 1 : 0;
        }

        foreach (var client in options.Value.Clients)
        {
            changes += await UpsertClientAsync(client, cancellationToken) ? 1 : 0;
        }

        changes += await declared.ReconcileAsync(ConfiguredEntry.Client, options.Value.Clients.Select(c => c.ClientId), async clientId =>
        {
            // Deleting the client deletes its authorizations and tokens with it.
            if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
            {
                return false;
            }

            await applications.DeleteAsync(application, cancellationToken);
            logger.Removed("client", clientId);
            return true;
        });
        changes += await declared.ReconcileAsync(ConfiguredEntry.Scope, options.Value.Scopes.Select(s => s.Name), async name =>
        {
            if (await scopes.FindByNameAsync(name, cancellationToken) is not { } scope)
            {
                return false;
            }

            await scopes.DeleteAsync(scope, cancellationToken);
            logger.Removed("scope", name);
            return true;
        });
        return changes;
    }

    private async Task<bool> UpsertScopeAsync(DeclaredScope scope, CancellationToken ct)
    {
        var wanted = new OpenIddictScopeDescriptor { Name = scope.Name, DisplayName = scope.DisplayName ?? scope.Name, Description = scope.Description };
        wanted.Resources.UnionWith(scope.Resources);
        var existing = await scopes.FindByNameAsync(scope.Name, ct);
        if (existing is null)
        {
            await scopes.CreateAsync(wanted, ct);
            logger.Created("scope", scope.Name);
            return true;
        }

        var current = new OpenIddictScopeDescriptor();
        await scopes.PopulateAsync(current, existing, ct);
        if (current.DisplayName == wanted.DisplayName && current.Description == wanted.Description && current.Resources.SetEquals(wanted.Resources))
        {
            return false;
        }

        await scopes.UpdateAsync(existing, wanted, ct);
        logger.Updated("scope", scope.Name);
        return true;
    }

    private async Task<bool> UpsertClientAsync(DeclaredClient client, CancellationToken ct)
    {
        var existing = await applications.FindByClientIdAsync(client.ClientId, ct);
        if (existing is null)
        {
            var created = new OpenIddictApplicationDescriptor { ClientSecret = client.Secret };
            ClientDescriptors.Apply(client, created);
            await applications.CreateAsync(created, ct);
            logger.Created("client", client.ClientId);
            return true;
        }

        // The populated descriptor carries the stored hash: left as is, the secret is not re-hashed.
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, existing, ct);
        var before = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(before, existing, ct);
        ClientDescriptors.Apply(client, descriptor);

        var secretChanged = client.Secret is null
            ? descriptor.ClientSecret is not null
            : !await applications.ValidateClientSecretAsync(existing, client.Secret, ct);
        if (!secretChanged && ClientDescriptors.SameShape(before, descriptor))
        {
            return false;
        }

        if (secretChanged)
        {
            descriptor.ClientSecret = client.Secret;
        }

        await applications.UpdateAsync(existing, descriptor, ct);
        logger.Updated("client", client.ClientId);
        return true;
    }
}
