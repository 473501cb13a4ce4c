using System.Security.Claims;
using System.Security.Cryptography;
using IdentityServer.Configuration;
using IdentityServer.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Sessions;

/// <summary>
/// Keeps the sign-in ticket in the database; the cookie carries only the session id. A missing, idle or
/// expired row makes the cookie anonymous on its next request.
/// </summary>
internal sealed class DatabaseTicketStore(
    IServiceScopeFactory scopes,
    IHttpContextAccessor http,
    IDataProtectionProvider protection,
    IOptionsMonitor<ServerOptions> options,
    TimeProvider time) : ITicketStore
{
    private const string CurrentItem = "IdentityServer.Sessions.Current";

    /// <summary>Set on a request that re-issues its own sign-in (password or 2FA change): the grants move to the new session.</summary>
    public const string CarryGrantsItem = "IdentityServer.Sessions.CarryGrants";
    private const string CarriedFromItem = "IdentityServer.Sessions.CarriedFrom";
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);
    private readonly IDataProtector protector = protection.CreateProtector("IdentityServer.Sessions.Ticket");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var settings = options.CurrentValue.Sessions;
        var request = http.HttpContext?.Request;
        var session = new UserSession
        {
            Id = id,
            UserId = ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("A session needs a user id."),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + settings.IdleTimeout,
            AbsoluteExpiresAt = now + settings.AbsoluteTimeout,
            IpAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(request?.Headers.UserAgent.ToString(), 512),
            AuthenticationMethod = Truncate(string.Join('+', ticket.Principal.FindAll("amr").Select(c => c.Value)), 64),
            Ticket = protector.Protect(TicketSerializer.Default.Serialize(ticket)),
        };

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        if (http.HttpContext is { } context)
        {
            context.Items[CurrentItem] = id;
        }

        if (http.HttpContext?.Items[CarriedFromItem] is string previous)
        {
            await db.SessionGrants.Where(g => g.SessionId == previous).ExecuteUpdateAsync(g => g.SetProperty(x => x.SessionId, id));
        }

        return id;
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == key);
        if (session is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now >= session.ExpiresAt || now >= session.AbsoluteExpiresAt)
        {
            // A timed-out browser session: the apps' refresh tokens keep their own lifetimes.
            await db.SessionGrants.Where(g => g.SessionId == key).ExecuteDeleteAsync();
            await db.Sessions.Where(s => s.Id == key).ExecuteDeleteAsync();
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

        if (http.HttpContext is { } current)
        {
            current.Items[CurrentItem] = key;
        }

        if (now - session.LastSeenAt >= LastSeenResolution)
        {
            // Written at most once a minute per session, so a busy page does not write on every request.
            var expires = now + options.CurrentValue.Sessions.IdleTimeout;
            await db.Sessions.Where(s => s.Id == key)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now).SetProperty(x => x.ExpiresAt, expires));
        }

        return ticket;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var bytes = protector.Protect(TicketSerializer.Default.Serialize(ticket));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        await db.Sessions.Where(s => s.Id == key).ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, bytes));
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (http.HttpContext is { } context && context.Items.ContainsKey(CarryGrantsItem))
        {
            // Re-issued sign-in: the old row goes, its grants wait for the new session id.
            context.Items[CarriedFromItem] = key;
            await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Sessions.Where(s => s.Id == key).ExecuteDeleteAsync();
            return;
        }

        await scope.ServiceProvider.GetRequiredService<SessionManager>().EndByIdAsync(key, default);
    }

    /// <summary>The session behind this request's sign-in cookie, once the cookie has been read (or written).</summary>
    public static string? CurrentSessionId(HttpContext context) => context.Items[CurrentItem] as string;

    private static string? Truncate(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
