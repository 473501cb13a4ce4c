using IdentityServer.Admin;
using IdentityServer.Admin.Console;
using IdentityServer.Audit;
using IdentityServer.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IdentityServer.Pages.Admin;

internal sealed class AuditModel(ConsoleAudit audit, IOptions<AdminOptions> options) : PageModel
{
    /// <summary>The page's size: at most the configured largest page, 50 by default.</summary>
    private const int Size = 50;

    [BindProperty(SupportsGet = true, Name = "")]
    public AuditSearch Search { get; set; } = new();

    public Paged<AuditEvent> Events { get; private set; } = null!;

    public IReadOnlyList<string> KnownTypes { get; } = [.. AuditEventTypes.Personal, AuditEventTypes.TokenFailed, AuditEventTypes.ClientAuthenticationFailed, "admin"];

    public bool Invalid { get; private set; }

    public async Task OnGetAsync()
    {
        // A filter that does not parse (a typed date, a huge page number) shows everything and says so, never a 500.
        Invalid = !ModelState.IsValid;
        Events = await audit.SearchAsync(Invalid ? new AuditSearch() : Search, Math.Min(Size, options.Value.MaxPageSize), HttpContext.RequestAborted);
    }
}
