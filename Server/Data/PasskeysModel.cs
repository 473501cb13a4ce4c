using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Data;

internal static class PasskeysModel
{
    /// <summary>When a passkey last signed someone in (UTC ticks); Identity's passkey data has no such field.</summary>
    public const string LastUsedAt = "LastUsedAt";

    public static void ConfigurePasskeys(this ModelBuilder builder)
    {
        // Identity's schema version 3 (which brings passkeys) also caps these at 128 characters. A provider's subject
        // may be longer (OpenID Connect allows 255), and existing rows would have to fit: they stay unbounded.
        builder.Entity<IdentityUserLogin<string>>(login =>
        {
            login.Property(l => l.LoginProvider).Metadata.SetMaxLength(null);
            login.Property(l => l.ProviderKey).Metadata.SetMaxLength(null);
        });
        builder.Entity<IdentityUserToken<string>>(token =>
        {
            token.Property(t => t.LoginProvider).Metadata.SetMaxLength(null);
            token.Property(t => t.Name).Metadata.SetMaxLength(null);
        });
        builder.Entity<IdentityUserPasskey<string>>().Property<long?>(LastUsedAt);
        builder.Entity<UsedPasskeyChallenge>(challenge =>
        {
            challenge.ToTable("UsedPasskeyChallenges");
            challenge.HasKey(c => c.Id);
            challenge.Property(c => c.Id).HasMaxLength(64);
            challenge.HasIndex(c => c.ExpiresAt);
        });
    }
}
