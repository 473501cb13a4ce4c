using IdentityServer.Audit;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Pages.Account.Manage;

/// <summary>The person's own security events: sign-ins and failed attempts, from where, and changes to their credentials.</summary>
internal sealed class ActivityModel(UserManager<ApplicationUser> users, AuditQuery audit) : PageModel
{
    private const int PageSize = 50;

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        [AuditEventTypes.SignInSucceeded] = "Signed in",
        [AuditEventTypes.SignInFailed] = "Failed sign-in attempt",
        [AuditEventTypes.LockedOut] = "Account locked after failed attempts",
        [AuditEventTypes.TwoFactorEnabled] = "Two-factor authentication turned on",
        [AuditEventTypes.TwoFactorDisabled] = "Two-factor authentication turned off",
        [AuditEventTypes.RecoveryCodesGenerated] = "New recovery codes generated",
        [AuditEventTypes.PasswordChanged] = "Password changed",
        [AuditEventTypes.PasswordReset] = "Password reset by email link",
        [AuditEventTypes.EmailChanged] = "Email address changed",
        [AuditEventTypes.LoginLinked] = "Sign-in provider linked",
        [AuditEventTypes.LoginUnlinked] = "Sign-in provider unlinked",
        [AuditEventTypes.SessionEnded] = "Session ended",
        [AuditEventTypes.ConsentGranted] = "Access granted to an app",
        [AuditEventTypes.ConsentRevoked] = "Access revoked from an app",
    };

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public bool HasOlder { get; private set; }

    public static string Describe(AuditEvent e) => Descriptions.GetValueOrDefault(e.Type, e.Type);

    public async Task<IActionResult> OnGetAsync()
    {
        if (users.GetUserId(User) is not { } userId)
        {
            return Challenge();
        }

        PageNumber = Math.Clamp(PageNumber, 1, 1000);
        var found = await audit.Find(new AuditFilter { UserId = userId, Types = AuditEventTypes.Personal })
            .Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(HttpContext.RequestAborted);
        HasOlder = found.Count > PageSize;
        Events = found.Take(PageSize).ToList();
        return Page();
    }
}
