using IdentityServer.Configuration;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace IdentityServer.Seeding;

/// <summary>
/// Applies the clients, scopes and users declared in configuration: creates what is missing and updates
/// what changed. Nothing is written when nothing changed, so restarting is free and idempotent.
/// </summary>
internal sealed partial class ConfigurationSeeder(
    IOptions<ServerOptions> options,
    IOpenIddictApplicationManager applications,
    IOpenIddictScopeManager scopes,
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    TimeProvider time,
    DeclaredEntries declared,
    Sessions.SessionManager sessions,
    ILogger<ConfigurationSeeder> logger)
{
    /// <summary>
    /// Applies everything. Scopes and clients, and users, are independent: each half runs in its own
    /// scope (its own DbContext) at the same time, so a user's password check (deliberately slow hashing)
    /// overlaps the protocol half instead of adding to the start-up time.
    /// </summary>
    public static async Task<int> SeedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var changes = await Task.WhenAll(
            InScopeAsync(services, seeder => seeder.SeedScopesAndClientsAsync(cancellationToken)),
            InScopeAsync(services, seeder => seeder.SeedUsersAsync()));
        return changes.Sum();
    }

    private static async Task<int> InScopeAsync(IServiceProvider services, Func<ConfigurationSeeder, Task<int>> seed)
    {
        await Task.Yield();
        await using var scope = services.CreateAsyncScope();
        return await seed(scope.ServiceProvider.GetRequiredService<ConfigurationSeeder>());
    }

    private async Task<int> SeedScopesAndClientsAsync(CancellationToken cancellationToken)
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
            LogRemoved("client", clientId);
            return true;
        });
        changes += await declared.ReconcileAsync(ConfiguredEntry.Scope, options.Value.Scopes.Select(s => s.Name), async name =>
        {
            if (await scopes.FindByNameAsync(name, cancellationToken) is not { } scope)
            {
                return false;
            }

            await scopes.DeleteAsync(scope, cancellationToken);
            LogRemoved("scope", name);
            return true;
        });
        return changes;
    }

    private async Task<int> SeedUsersAsync()
    {
        var changes = 0;
        foreach (var user in options.Value.Users)
        {
            changes += await UpsertUserAsync(user) ? 1 : 0;
        }

        changes += await declared.ReconcileAsync(ConfiguredEntry.User, options.Value.Users.Select(u => u.UserName), async userName =>
        {
            if (await users.FindByNameAsync(userName) is not { } user)
            {
                return false;
            }

            // Sessions end and every grant is revoked before the account goes.
            await sessions.EndAllExceptAsync(user.Id, keepSessionId: null, CancellationToken.None);
            Check(await users.DeleteAsync(user), userName);
            LogRemoved("user", userName);
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
            LogCreated("scope", scope.Name);
            return true;
        }

        var current = new OpenIddictScopeDescriptor();
        await scopes.PopulateAsync(current, existing, ct);
        if (current.DisplayName == wanted.DisplayName && current.Description == wanted.Description && current.Resources.SetEquals(wanted.Resources))
        {
            return false;
        }

        await scopes.UpdateAsync(existing, wanted, ct);
        LogUpdated("scope", scope.Name);
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
            LogCreated("client", client.ClientId);
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
        LogUpdated("client", client.ClientId);
        return true;
    }

    private async Task<bool> UpsertUserAsync(DeclaredUser declared)
    {
        var user = await users.FindByNameAsync(declared.UserName);
        var created = user is null;
        user ??= new ApplicationUser { UserName = declared.UserName, UpdatedAt = time.GetUtcNow() };

        var changed = created || user.Email != declared.Email || user.Name != declared.Name || user.EmailConfirmed != declared.EmailConfirmed;
        user.Email = declared.Email;
        user.Name = declared.Name;
        user.EmailConfirmed = declared.EmailConfirmed;
        if (changed)
        {
            user.UpdatedAt = time.GetUtcNow();
        }

        if (created)
        {
            Check(await users.CreateAsync(user, declared.Password!), declared.UserName);
        }
        else
        {
            if (changed)
            {
                Check(await users.UpdateAsync(user), declared.UserName);
            }

            if (!await users.CheckPasswordAsync(user, declared.Password!))
            {
                Check(await users.RemovePasswordAsync(user), declared.UserName);
                Check(await users.AddPasswordAsync(user, declared.Password!), declared.UserName);
                changed = true;
            }
        }

        var current = await users.GetRolesAsync(user);
        var missing = declared.Roles.Except(current, StringComparer.Ordinal).ToList();
        var extra = current.Except(declared.Roles, StringComparer.Ordinal).ToList();
        foreach (var role in missing)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), declared.UserName);
            }
        }

        if (missing.Count > 0)
        {
            Check(await users.AddToRolesAsync(user, missing), declared.UserName);
        }

        if (extra.Count > 0)
        {
            Check(await users.RemoveFromRolesAsync(user, extra), declared.UserName);
        }

        changed |= missing.Count > 0 || extra.Count > 0;
        if (changed)
        {
            (created ? (Action<string, string>)LogCreated : LogUpdated)("user", declared.UserName);
        }

        return changed;
    }

    private static void Check(IdentityResult result, string userName)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"{ServerOptions.Section}:Users: the declared user '{userName}' cannot be applied: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Kind} '{Name}' from configuration")]
    private partial void LogCreated(string kind, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Kind} '{Name}': configuration no longer declares it")]
    private partial void LogRemoved(string kind, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updated {Kind} '{Name}' from configuration")]
    private partial void LogUpdated(string kind, string name);
}
