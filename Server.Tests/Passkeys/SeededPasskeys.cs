using System.Buffers.Text;
using System.Security.Cryptography;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Passkeys;

/// <summary>
/// Passkeys stored straight through the user manager, as a finished ceremony leaves them, for tests about what the
/// server does with stored passkeys: no browser and no authenticator are needed for those.
/// </summary>
internal static class SeededPasskeys
{
    /// <summary>Adds <paramref name="count"/> passkeys named "Key 0", "Key 1"… a minute apart (only the first backed up); their ids in base64url, oldest first.</summary>
    public static async Task<List<string>> AddAsync(IServiceProvider services, string userName, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user {userName}.");
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var credentialId = RandomNumberGenerator.GetBytes(16);
            var passkey = new UserPasskeyInfo(credentialId, RandomNumberGenerator.GetBytes(77), DateTimeOffset.UtcNow.AddMinutes(i), 0, ["internal"],
                isUserVerified: true, isBackupEligible: true, isBackedUp: i == 0, attestationObject: [], clientDataJson: []) { Name = $"Key {i}" };
            var added = await users.AddOrUpdatePasskeyAsync(user, passkey);
            Assert.True(added.Succeeded, string.Join("; ", added.Errors.Select(e => e.Description)));
            ids.Add(Base64Url.EncodeToString(credentialId));
        }

        return ids;
    }

    /// <summary>A new account with no password and no external login (what passwordless registration makes); its user name.</summary>
    public static async Task<string> PasswordlessUserAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var name = $"nopassword-{Guid.NewGuid():N}"[..24];
        Assert.True((await users.CreateAsync(new ApplicationUser { UserName = name })).Succeeded);
        return name;
    }

    public static async Task<string> IdOfAsync(IServiceProvider services, string userName)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(userName))!.Id;
    }

    public static async Task<int> CountAsync(IServiceProvider services, string userId)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return (await users.GetPasskeysAsync((await users.FindByIdAsync(userId))!)).Count;
    }
}
