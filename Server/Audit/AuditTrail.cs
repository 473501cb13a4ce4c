using System.Text.Json;
using IdentityServer.Data;

namespace IdentityServer.Audit;

/// <summary>
/// Records audit events: a row in <c>AuditEvents</c> and a structured log event with the same fields. Values are cut
/// to their column's length (a typed user name can be anything) so recording never fails on the input's size.
/// </summary>
internal sealed partial class AuditTrail(IServiceScopeFactory scopes, TimeProvider time, IHttpContextAccessor http, ILogger<AuditTrail> logger)
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
            Details = DetailsOf(record.Details),
        };
        Recorded(logger, entry.Type, entry.UserId, entry.UserName, entry.ClientId, entry.Actor, entry.Address, entry.Reason);

        // A context of its own: the request's may hold a change that just failed (a concurrency conflict the
        // caller answered with an error), which saving again would throw on. Contexts are pooled, so this is cheap.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        db.AuditEvents.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Details too long for their column are replaced rather than cut, so what is stored is always whole JSON.</summary>
    private static string? DetailsOf(object? details) =>
        details is null ? null
        : JsonSerializer.Serialize(details, Json) is { Length: <= 8000 } json ? json
        : JsonSerializer.Serialize(new { truncated = true }, Json);

    /// <summary>
    /// Cut to the column's length, with control characters replaced: a typed user name ends up in text logs, where a
    /// line break would let it forge an entry of its own.
    /// </summary>
    private static string? Cut(string? value, int length)
    {
        if (value is not { Length: > 0 })
        {
            return value;
        }

        var cut = value.Length > length ? value[..length] : value;
        return cut.Any(char.IsControl) ? string.Create(cut.Length, cut, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        }) : cut;
    }

    [LoggerMessage(EventId = 9000, Level = LogLevel.Information,
        Message = "Audit {AuditType}: user {UserId} ({UserName}), client {ClientId}, actor {Actor}, address {Address}, reason {Reason}")]
    private static partial void Recorded(ILogger logger, string auditType, string? userId, string? userName, string? clientId, string? actor, string? address, string? reason);
}
