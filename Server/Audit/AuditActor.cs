namespace IdentityServer.Audit;

/// <summary>
/// The actor of this request as the audit trail names it, when a feature has worked it out (the admin API's caller:
/// a person's user name or <c>client:</c> and a client id). Changes recorded below that feature, such as the user
/// manager's account events, then name the same actor as the feature's own event.
/// </summary>
internal static class AuditActor
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, string name) => context.Items[Key] = name;

    public static string? Of(HttpContext? context) => context?.Items[Key] as string;
}
