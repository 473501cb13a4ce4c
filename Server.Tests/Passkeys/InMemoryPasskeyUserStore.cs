using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Tests.Passkeys;

/// <summary>
/// Just enough of a user store for <see cref="UserManager{TUser}"/> and Identity's passkey handler, kept in memory
/// so the authenticator's self-check needs neither a database nor the server.
/// </summary>
internal sealed class InMemoryPasskeyUserStore : IUserPasskeyStore<IdentityUser>
{
    private readonly List<IdentityUser> _users = [];
    private readonly Dictionary<string, List<UserPasskeyInfo>> _passkeys = [];

    public Task<IdentityResult> CreateAsync(IdentityUser user, CancellationToken cancellationToken)
    {
        _users.Add(user);
        _passkeys[user.Id] = [];
        return Task.FromResult(IdentityResult.Success);
    }

    public Task<IdentityResult> UpdateAsync(IdentityUser user, CancellationToken cancellationToken) =>
        Task.FromResult(IdentityResult.Success);

    public Task<IdentityResult> DeleteAsync(IdentityUser user, CancellationToken cancellationToken)
    {
        _users.Remove(user);
        _passkeys.Remove(user.Id);
        return Task.FromResult(IdentityResult.Success);
    }

    public Task<IdentityUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(_users.FirstOrDefault(u => u.Id == userId));

    public Task<IdentityUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        Task.FromResult(_users.FirstOrDefault(u => u.NormalizedUserName == normalizedUserName));

    public Task<string> GetUserIdAsync(IdentityUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(IdentityUser user, CancellationToken cancellationToken) => Task.FromResult(user.UserName);

    public Task SetUserNameAsync(IdentityUser user, string? userName, CancellationToken cancellationToken)
    {
        user.UserName = userName;
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(IdentityUser user, CancellationToken cancellationToken) =>
        Task.FromResult(user.NormalizedUserName);

    public Task SetNormalizedUserNameAsync(IdentityUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedUserName = normalizedName;
        return Task.CompletedTask;
    }

    public Task AddOrUpdatePasskeyAsync(IdentityUser user, UserPasskeyInfo passkey, CancellationToken cancellationToken)
    {
        var list = _passkeys[user.Id];
        list.RemoveAll(p => p.CredentialId.AsSpan().SequenceEqual(passkey.CredentialId));
        list.Add(passkey);
        return Task.CompletedTask;
    }

    public Task<IList<UserPasskeyInfo>> GetPasskeysAsync(IdentityUser user, CancellationToken cancellationToken) =>
        Task.FromResult<IList<UserPasskeyInfo>>([.. _passkeys[user.Id]]);

    public Task<IdentityUser?> FindByPasskeyIdAsync(byte[] credentialId, CancellationToken cancellationToken) =>
        Task.FromResult(_users.FirstOrDefault(u => _passkeys[u.Id].Any(p => p.CredentialId.AsSpan().SequenceEqual(credentialId))));

    public Task<UserPasskeyInfo?> FindPasskeyAsync(IdentityUser user, byte[] credentialId, CancellationToken cancellationToken) =>
        Task.FromResult(_passkeys[user.Id].FirstOrDefault(p => p.CredentialId.AsSpan().SequenceEqual(credentialId)));

    public Task RemovePasskeyAsync(IdentityUser user, byte[] credentialId, CancellationToken cancellationToken)
    {
        _passkeys[user.Id].RemoveAll(p => p.CredentialId.AsSpan().SequenceEqual(credentialId));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }
}
