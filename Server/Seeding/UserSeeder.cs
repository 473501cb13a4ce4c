using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdentityServer.Seeding;

/// <summary>The users configuration declares (name, email, password, roles): created, updated, and removed once undeclared.</summary>
internal sealed class UserSeeder(
    IOptions<SeedOptions> options,
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    TimeProvider time,
    DeclaredEntries declared,
    SessionManager sessions,
    ILogger<UserSeeder> logger)
{
    public async Task<int> SeedAsync()
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
            logger.Removed("user", userName);
            return true;
        });
        return changes;
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
            if (created)
            {
                logger.Created("user", declared.UserName);
            }
            else
            {
                logger.Updated("user", declared.UserName);
            }
        }

        return changed;
    }

    private static void Check(IdentityResult result, string userName)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"IdentityServer:Users: the declared user '{userName}' cannot be applied: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
