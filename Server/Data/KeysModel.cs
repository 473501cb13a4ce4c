using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Data;

internal static class KeysModel
{
    public static void ConfigureSigningKeys(this ModelBuilder builder) =>
        builder.Entity<SigningKey>(key =>
        {
            key.ToTable("SigningKeys");
            key.HasKey(k => k.Kid);
            key.Property(k => k.Kid).HasMaxLength(64);
            key.Property(k => k.Algorithm).HasMaxLength(16);
            key.Property(k => k.ProtectedKey).HasMaxLength(8192);
            key.Property(k => k.Origin).HasMaxLength(16);
        });
}
