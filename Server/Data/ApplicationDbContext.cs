using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Data;

/// <summary>One context for Identity's users and OpenIddict's applications, authorizations, scopes and tokens.</summary>
internal sealed class ApplicationDbContext(DbContextOptions<ApplicationDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring (cookies, anti-forgery, codes and refresh tokens), shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<SessionGrant> SessionGrants => Set<SessionGrant>();

    public DbSet<BackchannelLogoutNotice> BackchannelLogoutNotices => Set<BackchannelLogoutNotice>();

    public DbSet<JobLease> JobLeases => Set<JobLease>();

    public DbSet<ConfiguredEntry> ConfiguredEntries => Set<ConfiguredEntry>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();

    public DbSet<UsedPasskeyChallenge> UsedPasskeyChallenges => Set<UsedPasskeyChallenge>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.ConfigureSessions();
        builder.ConfigureAudit();
        builder.ConfigureSigningKeys();
        builder.ConfigurePasskeys();

        // The prune job filters on these; OpenIddict's model does not index them.
        builder.Entity<OpenIddictEntityFrameworkCoreToken>(token =>
        {
            token.HasIndex(t => t.CreationDate);
            token.HasIndex(t => t.ExpirationDate);
        });
        builder.Entity<OpenIddictEntityFrameworkCoreAuthorization>().HasIndex(a => a.CreationDate);
        builder.Entity<ConfiguredEntry>(entry =>
        {
            entry.ToTable("ConfiguredEntries");
            entry.HasKey(e => new { e.Kind, e.Name });
            entry.Property(e => e.Kind).HasMaxLength(16);
            entry.Property(e => e.Name).HasMaxLength(256);
        });
        builder.Entity<JobLease>(lease =>
        {
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Name).HasMaxLength(100);
            lease.Property(l => l.Holder).HasMaxLength(200);
        });
        builder.Entity<ApplicationUser>(user =>
        {
            user.Property(u => u.Name).HasMaxLength(256);
            user.Property(u => u.Picture).HasMaxLength(2048);

            // One account per address: two racing registrations cannot both succeed.
            user.HasIndex(u => u.NormalizedEmail).IsUnique();

            // SQLite cannot order or compare DateTimeOffset; store UTC ticks.
            user.Property(u => u.UpdatedAt).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
        });
    }
}
