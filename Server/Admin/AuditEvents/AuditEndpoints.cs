using System.Globalization;
using IdentityServer.Admin.Api;
using IdentityServer.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityServer.Admin.AuditEvents;

/// <summary>
/// <c>/admin/api/audit</c>: the audit trail, newest first, by person (<c>userId</c>), client (<c>clientId</c>), type
/// (<c>type</c>: a full name, or an area such as <c>admin</c>), time range (<c>from</c> inclusive, <c>to</c>
/// exclusive, ISO 8601) and text (<c>q</c>).
/// </summary>
internal static class AuditEndpoints
{
    public static void MapAuditEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("audit", ListAsync).RequireAuthorization(AdminPolicies.Read).WithTags("Audit").WithName("ListAuditEvents");

    private static async Task<Results<Ok<Page<AuditEventView>>, ValidationProblem>> ListAsync(string? userId, string? clientId, string? type, string? from, string? to,
        string? page, string? pageSize, string? q, AuditQuery audit, IOptions<AdminOptions> options, CancellationToken ct)
    {
        PageRequest.TryParse(page, pageSize, q, options.Value.MaxPageSize, out var request, out var errors);
        var since = Instant(from, "from", errors);
        var until = Instant(to, "to", errors);
        if (type is { Length: > 64 })
        {
            errors["type"] = ["type must be 64 characters or fewer."];
        }

        if (errors.Count > 0)
        {
            return AdminProblems.Invalid(errors);
        }

        var events = audit.Find(new AuditFilter { UserId = userId, ClientId = clientId, Type = type, From = since, To = until, Text = request.Query });
        var total = await events.CountAsync(ct);
        var items = await events.Skip(request.Skip).Take(request.PageSize)
            .Select(e => new AuditEventView(e.Id, e.OccurredAt, e.Type, e.UserId, e.UserName, e.ClientId, e.Actor, e.Address, e.Reason, e.Details)).ToListAsync(ct);
        return TypedResults.Ok(new Page<AuditEventView>(items, request.Page, request.PageSize, total));
    }

    private static DateTimeOffset? Instant(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        errors[name] = [$"{name} must be an ISO 8601 date and time, such as 2026-01-31T12:00:00Z."];
        return null;
    }
}
