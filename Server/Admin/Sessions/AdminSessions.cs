using IdentityServer.Audit;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Admin.Sessions;

/// <summary>
/// A person's sessions: list them, end one, end all. Ending goes through <see cref="SessionManager"/>, which revokes
/// what the sessions granted and queues the apps' back-channel logout notifications. Every end is audited.
/// </summary>
internal sealed class AdminSessions(SessionManager sessions, UserManager<ApplicationUser> users, AuditTrail audit)
{
    public async Task<AdminResult<Page<SessionView>>> ListAsync(string userId, PageRequest page, CancellationToken ct)
    {
        if (await users.FindByIdAsync(userId) is null)
        {
            return new AdminResult<Page<SessionView>>.NotFound();
        }

        var all = await sessions.ListAsync(userId, ct);
        var items = all.Where(s => page.Query is not { } q || (s.UserAgent?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false) || (s.IpAddress?.Contains(q, StringComparison.Ordinal) ?? false))
            .ToList();
        return new AdminResult<Page<SessionView>>.Done(new Page<SessionView>(
            [.. items.Skip(page.Skip).Take(page.PageSize).Select(View)], page.Page, page.PageSize, items.Count));
    }

    public async Task<AdminResult<int>> EndAsync(string userId, string handle, AdminActor actor, CancellationToken ct)
    {
        if (await users.FindByIdAsync(userId) is not { } user || !SessionIds.IsHandle(handle) || !await sessions.EndByHandleAsync(userId, handle, ct))
        {
            return new AdminResult<int>.NotFound();
        }

        await RecordAsync("ended", user, actor, new { session = handle }, ct);
        return new AdminResult<int>.Done(1);
    }

    /// <summary>Every session ends and every grant and refresh token of the person's is revoked.</summary>
    public async Task<AdminResult<int>> EndAllAsync(string userId, AdminActor actor, CancellationToken ct)
    {
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return new AdminResult<int>.NotFound();
        }

        var ended = await sessions.EndAllExceptAsync(userId, keepSessionId: null, ct);
        await RecordAsync("ended_all", user, actor, new { ended }, ct);
        return new AdminResult<int>.Done(ended);
    }

    private static SessionView View(UserSession s) =>
        new(SessionIds.Handle(s.Id), s.Sid, s.CreatedAt, s.AuthenticatedAt, s.LastSeenAt, s.ExpiresAt, s.AbsoluteExpiresAt, s.IpAddress, s.UserAgent, s.AuthenticationMethod);

    private Task RecordAsync(string verb, ApplicationUser user, AdminActor actor, object details, CancellationToken ct) =>
        audit.RecordAsync(new AuditRecord(AuditEventTypes.Admin("session", verb)) { UserId = user.Id, UserName = user.UserName, Actor = actor.Name, Details = details }, ct);
}
