using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityServer.Passkeys;

/// <summary>A passkey as its owner and administrators see it; <see cref="Id"/> is the credential id, base64url.</summary>
internal sealed record PasskeyView(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    uint SignCount, bool BackupEligible, bool BackedUp, IReadOnlyList<string> Transports);

/// <summary>
/// An account's passkeys: listed with when each was last used, added (never one another account holds), renamed,
/// and removed — never the account's last way to sign in.
/// </summary>
internal sealed class UserPasskeys(UserManager<ApplicationUser> users, ApplicationDbContext db, IOptions<PasskeyOptions> options, TimeProvider time)
{
    public const int MaximumNameLength = 64;

    public async Task<IReadOnlyList<PasskeyView>> ListAsync(ApplicationUser user)
    {
        var used = await db.Set<IdentityUserPasskey<string>>().AsNoTracking().Where(p => p.UserId == user.Id)
            .Select(p => new { p.CredentialId, At = EF.Property<long?>(p, PasskeysModel.LastUsedAt) })
            .ToListAsync();
        var lastUsed = used.ToDictionary(u => Base64Url.EncodeToString(u.CredentialId), u => u.At);
        return (await users.GetPasskeysAsync(user))
            .Select(p => new PasskeyView(Base64Url.EncodeToString(p.CredentialId), p.Name ?? "Passkey", p.CreatedAt,
                lastUsed.GetValueOrDefault(Base64Url.EncodeToString(p.CredentialId)) is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
                p.SignCount, p.IsBackupEligible, p.IsBackedUp, p.Transports ?? []))
            .OrderBy(p => p.CreatedAt)
            .ToList();
    }

    /// <summary>Stores a passkey that attestation just proved; the reason when it is refused.</summary>
    public async Task<string?> AddAsync(ApplicationUser user, UserPasskeyInfo passkey, string? name)
    {
        // A credential id another account holds was refused by Identity's attestation, which looks it up first.
        if ((await users.GetPasskeysAsync(user)).Count >= options.Value.MaximumPerAccount)
        {
            return $"An account can hold at most {options.Value.MaximumPerAccount} passkeys. Remove one first.";
        }

        passkey.Name = CleanName(name) ?? $"Passkey added {time.GetUtcNow():yyyy-MM-dd}";
        var result = await users.AddOrUpdatePasskeyAsync(user, passkey);
        return result.Succeeded ? null : string.Join(" ", result.Errors.Select(e => e.Description));
    }

    public async Task<bool> RenameAsync(ApplicationUser user, string id, string name)
    {
        if (Decode(id) is not { } credentialId || await users.GetPasskeyAsync(user, credentialId) is not { } passkey || CleanName(name) is not { } clean)
        {
            return false;
        }

        passkey.Name = clean;
        return (await users.AddOrUpdatePasskeyAsync(user, passkey)).Succeeded;
    }

    /// <summary>Null when removed; otherwise why not (unknown, or the last way to sign in).</summary>
    public async Task<PasskeyRemoval> RemoveAsync(ApplicationUser user, string id)
    {
        if (Decode(id) is not { } credentialId || await users.GetPasskeyAsync(user, credentialId) is not { } passkey)
        {
            return PasskeyRemoval.NotFound;
        }

        if (await CountAsync(user) == 1 && !await OtherWayInAsync(user))
        {
            return PasskeyRemoval.LastWayIn;
        }

        if (!(await users.RemovePasskeyAsync(user, credentialId)).Succeeded)
        {
            return PasskeyRemoval.NotFound;
        }

        // Two removals at once each saw the other passkey; whichever finds nothing left afterwards puts its own back.
        if (await CountAsync(user) == 0 && !await OtherWayInAsync(user))
        {
            await users.AddOrUpdatePasskeyAsync(user, passkey);
            return PasskeyRemoval.LastWayIn;
        }

        return PasskeyRemoval.Removed;
    }

    private async Task<bool> OtherWayInAsync(ApplicationUser user) =>
        await users.HasPasswordAsync(user) || (await users.GetLoginsAsync(user)).Count > 0;

    public Task<int> CountAsync(ApplicationUser user) =>
        db.Set<IdentityUserPasskey<string>>().CountAsync(p => p.UserId == user.Id);

    public Task MarkUsedAsync(byte[] credentialId)
    {
        var now = time.GetUtcNow().UtcTicks;
        return db.Set<IdentityUserPasskey<string>>().Where(p => p.CredentialId == credentialId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => EF.Property<long?>(p, PasskeysModel.LastUsedAt), now));
    }

    /// <summary>A name a person can read back: trimmed, at most <see cref="MaximumNameLength"/> characters, no control or format characters.</summary>
    public static string? CleanName(string? name)
    {
        var trimmed = name?.Trim();
        return string.IsNullOrEmpty(trimmed) || trimmed.Length > MaximumNameLength
            || trimmed.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            ? null
            : trimmed;
    }

    /// <summary>
    /// Whether <paramref name="id"/> can be a credential id at all (unpadded base64url as <see cref="ListAsync"/> writes it), so a
    /// caller can tell a malformed id from an unknown one; the decoder alone would also take whitespace and padding.
    /// </summary>
    public static bool IsWellFormedId([NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= 1400 } && id.Length % 4 != 1 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && Base64Url.IsValid(id);

    private static byte[]? Decode(string? id) => IsWellFormedId(id) ? Base64Url.DecodeFromChars(id) : null;
}

internal enum PasskeyRemoval
{
    Removed,
    NotFound,
    LastWayIn,
}
