using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Data;

internal static class SessionsModel
{
    public static void ConfigureSessions(this ModelBuilder builder)
    {
        builder.Entity<UserSession>(session =>
        {
            session.ToTable("UserSessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).HasMaxLength(64);
            session.Property(s => s.UserId).HasMaxLength(450).IsRequired();
            session.Property(s => s.Sid).HasMaxLength(64);
            session.Property(s => s.IpAddress).HasMaxLength(64);
            session.Property(s => s.UserAgent).HasMaxLength(512);
            session.Property(s => s.AuthenticationMethod).HasMaxLength(64);
            foreach (var property in new[] { nameof(UserSession.CreatedAt), nameof(UserSession.AuthenticatedAt), nameof(UserSession.LastSeenAt), nameof(UserSession.ExpiresAt), nameof(UserSession.AbsoluteExpiresAt) })
            {
                // Stored as UTC ticks so SQLite can compare and index them.
                session.Property<DateTimeOffset>(property).HasConversion(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
            }

            session.HasIndex(s => s.UserId);
            session.HasIndex(s => s.ExpiresAt);
            session.HasIndex(s => s.AbsoluteExpiresAt);
        });

        builder.Entity<SessionGrant>(grant =>
        {
            grant.ToTable("SessionGrants");
            grant.HasKey(g => new { g.SessionId, g.AuthorizationId });
            grant.Property(g => g.SessionId).HasMaxLength(64);
            grant.Property(g => g.AuthorizationId).HasMaxLength(100);
            grant.Property(g => g.CarriedStamp).HasMaxLength(32);
            grant.HasIndex(g => g.AuthorizationId);
        });

        builder.Entity<BackchannelLogoutNotice>(notice =>
        {
            notice.ToTable("BackchannelLogoutNotices");
            notice.HasKey(n => n.Id);
            notice.Property(n => n.ClientId).HasMaxLength(100);
            notice.Property(n => n.Uri).HasMaxLength(2048);
            notice.Property(n => n.Subject).HasMaxLength(450);
            notice.Property(n => n.SessionId).HasMaxLength(64);
            notice.Property(n => n.ClaimToken).HasMaxLength(32);
            notice.HasIndex(n => n.NextAttemptAt);
            notice.HasIndex(n => n.ClaimToken);
        });
    }
}
