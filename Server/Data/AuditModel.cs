using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Data;

internal static class AuditModel
{
    public static void ConfigureAudit(this ModelBuilder builder) =>
        builder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("AuditEvents");
            audit.HasKey(e => e.Id);

            // Stored as UTC ticks so SQLite can compare, order and index it.
            audit.Property(e => e.OccurredAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            audit.Property(e => e.Type).HasMaxLength(64).IsRequired();
            audit.Property(e => e.UserId).HasMaxLength(450);
            audit.Property(e => e.UserName).HasMaxLength(256);
            audit.Property(e => e.ClientId).HasMaxLength(100);
            audit.Property(e => e.Actor).HasMaxLength(256);
            audit.Property(e => e.Address).HasMaxLength(64);
            audit.Property(e => e.Reason).HasMaxLength(128);
            audit.Property(e => e.Details).HasMaxLength(8000);
            audit.HasIndex(e => e.OccurredAt);
            audit.HasIndex(e => new { e.UserId, e.OccurredAt });
            audit.HasIndex(e => new { e.ClientId, e.OccurredAt });
            audit.HasIndex(e => new { e.Type, e.OccurredAt });
        });
}
