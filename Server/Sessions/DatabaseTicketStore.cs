using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using IdentityServer.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityServer.Sessions;

/// <summary>
/// Keeps the sign-in ticket in the database; the cookie carries only the session id, the row only its hash.
/// A missing, idle or expired row makes the cookie anonymous on its next request. The instant of the last
/// interactive authentication lives in the row and is handed to the ticket on every read, so no cookie
/// renewal can move it.
/// </summary>
internal sealed class DatabaseTicketStore(
    IServiceScopeFactory scopes,
    IHttpContextAccessor http,
    IDataProtectionProvider protection,
    IOptions<SessionLifetimeOptions> options,
    TimeProvider time) : ITicketStore
{
    private const string CurrentItem = "IdentityServer.Sessions.Current";
    private const string CurrentSidItem = "IdentityServer.Sessions.CurrentSid";

    /// <summary>The ticket property carrying the authentication instant (Unix seconds).</summary>
    public const string AuthenticatedAtItem = ".idsrv.auth_time";

    /// <summary>Set on a request that re-issues its own sign-in (password or 2FA change): the grants move to the new session.</summary>
    public const string CarryGrantsItem = "IdentityServer.Sessions.CarryGrants";
    private const string CarriedFromItem = "IdentityServer.Sessions.CarriedFrom";
    private const string CarriedSidItem = "IdentityServer.Sessions.CarriedSid";
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);
    private readonly IDataProtector protector = protection.CreateProtector("IdentityServer.Sessions.Ticket");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = SessionIds.NewId();
        var hash = SessionIds.Hash(id);
        var now = time.GetUtcNow();
        var settings = options.Value;
        var request = http.HttpContext?.Request;
        var session = new UserSession
        {
            Id = hash,

            // A re-issued session keeps its public id: the apps' identity tokens name it, and its logout must match.
            Sid = http.HttpContext?.Items[CarriedSidItem] as string ?? SessionIds.NewSid(),
            UserId = UserIdOf(ticket) ?? throw new InvalidOperationException("A session needs a user id."),
            CreatedAt = now,
            AuthenticatedAt = AuthenticatedAt(ticket.Properties) ?? now,
            LastSeenAt = now,
            ExpiresAt = now + settings.IdleTimeout,
            AbsoluteExpiresAt = now + settings.AbsoluteTimeout,
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(request?.Headers.UserAgent.ToString(), 512),
            AuthenticationMethod = Truncate(string.Join('+', SessionAuthentication.From(ticket.Properties).Methods), 64),
            Ticket = protector.Protect(TicketSerializer.Default.Serialize(ticket)),
        };

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        if (http.HttpContext is { } context)
        {
            context.Items[CurrentItem] = hash;
            context.Items[CurrentSidItem] = session.Sid;
            if (context.Items[CarriedFromItem] is string previous)
            {
                // The grants keep working under the new security stamp: this browser made the change.
                var stamp = SessionIds.StampHash(ticket.Principal.FindFirstValue(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType));
                await db.SessionGrants.Where(g => g.SessionId == previous)
                    .ExecuteUpdateAsync(g => g.SetProperty(x => x.SessionId, hash).SetProperty(x => x.CarriedStamp, stamp));
            }
        }

        return id;
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var hash = SessionIds.Hash(key);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == hash);
        if (session is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now >= session.ExpiresAt || now >= session.AbsoluteExpiresAt)
        {
            // A timed-out browser session: the apps' refresh tokens keep their own lifetimes (a credential
            // change or "sign out everywhere" still revokes them: SessionManager works by user, not by link).
            await scope.ServiceProvider.GetRequiredService<SessionManager>().EndExpiredAsync([hash], default);
            return null;
        }

        AuthenticationTicket? ticket;
        try
        {
            ticket = TicketSerializer.Default.Deserialize(protector.Unprotect(session.Ticket));
        }
        catch (CryptographicException)
        {
            return null;
        }

        if (ticket is null || UserIdOf(ticket) != session.UserId)
        {
            return null;
        }

        ticket.Properties.Items[AuthenticatedAtItem] = session.AuthenticatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (http.HttpContext is { } current)
        {
            current.Items[CurrentItem] = hash;
            current.Items[CurrentSidItem] = session.Sid;
        }

        if (now - session.LastSeenAt >= LastSeenResolution)
        {
            // Written at most once a minute per session, so a busy page does not write on every request.
            var expires = now + options.Value.IdleTimeout;
            await db.Sessions.Where(s => s.Id == hash)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now).SetProperty(x => x.ExpiresAt, expires));
        }

        return ticket;
    }

    /// <summary>
    /// A renewal (sliding expiration, security-stamp revalidation) of the same person's ticket. Sign-ins never
    /// come here (<see cref="Accounts.AccountSignInManager"/> starts a new session), and neither the user nor the
    /// authentication instant of the row ever changes.
    /// </summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var hash = SessionIds.Hash(key);
        var userId = UserIdOf(ticket);
        var bytes = protector.Protect(TicketSerializer.Default.Serialize(ticket));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        await db.Sessions.Where(s => s.Id == hash && s.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, bytes));
    }

    public async Task RemoveAsync(string key)
    {
        var hash = SessionIds.Hash(key);
        await using var scope = scopes.CreateAsyncScope();
        if (http.HttpContext is { } context && context.Items.ContainsKey(CarryGrantsItem))
        {
            // Re-issued sign-in: the old row goes, its grants wait for the new session id.
            context.Items[CarriedFromItem] = hash;
            var sessions = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Sessions.Where(s => s.Id == hash);
            context.Items[CarriedSidItem] = await sessions.Select(s => s.Sid).FirstOrDefaultAsync();
            await sessions.ExecuteDeleteAsync();
            return;
        }

        await scope.ServiceProvider.GetRequiredService<SessionManager>().EndByIdAsync(hash, default);
    }

    /// <summary>The stored id (hash) of the session behind this request's sign-in cookie, once the cookie has been read (or written).</summary>
    public static string? CurrentSessionId(HttpContext context) => context.Items[CurrentItem] as string;

    /// <summary>The public id (<c>sid</c>) of the session behind this request's sign-in cookie, once the cookie has been read (or written).</summary>
    public static string? CurrentSid(HttpContext context) => context.Items[CurrentSidItem] as string;

    /// <summary>The instant of the last interactive authentication, as the session row records it.</summary>
    public static DateTimeOffset? AuthenticatedAt(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(AuthenticatedAtItem, out var value) == true
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static string? UserIdOf(AuthenticationTicket ticket) => ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier);

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
