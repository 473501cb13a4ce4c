using System.Text.Json;
using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Audit;

/// <summary>
/// Records audit events: a row in <c>AuditEvents</c> and a structured log event with the same fields. Values are cut
/// to their column's length (a typed user name can be anything) so recording never fails on the input's size.
/// </summary>
internal sealed partial class AuditTrail(ApplicationDbContext db, TimeProvider time, IHttpContextAccessor http, ILogger<AuditTrail> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        var entry = new AuditEvent
        {
            OccurredAt = time.GetUtcNow(),
            Type = Cut(record.Type, 64)!,
            UserId = Cut(record.UserId, 450),
            UserName = Cut(record.UserName, 256),
            ClientId = Cut(record.ClientId, 100),
            Actor = Cut(record.Actor, 256),
            Address = Cut(http.HttpContext?.Connection.RemoteIpAddress?.ToString(), 64),
            Reason = Cut(record.Reason, 128),
            Details = record.Details is null ? null : Cut(JsonSerializer.Serialize(record.Details, Json), 8000),
        };
        Recorded(logger, entry.Type, entry.UserId, entry.UserName, entry.ClientId, entry.Actor, entry.Address, entry.Reason);

        // The request's own context: identity and OpenIddict managers save as they go, so nothing else is pending here.
        var tracked = db.AuditEvents.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            tracked.State = EntityState.Detached;
        }
    }

    private static string? Cut(string? value, int length) => value is { Length: > 0 } && value.Length > length ? value[..length] : value;

    [LoggerMessage(EventId = 9000, Level = LogLevel.Information,
        Message = "Audit {AuditType}: user {UserId} ({UserName}), client {ClientId}, actor {Actor}, address {Address}, reason {Reason}")]
    private static partial void Recorded(ILogger logger, string auditType, string? userId, string? userName, string? clientId, string? actor, string? address, string? reason);
}
