using IdentityServer.Admin.Console;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace IdentityServer.Pages.Admin;

internal sealed class IndexModel(ConsoleDashboard dashboard) : PageModel
{
    public DashboardCounts Counts { get; private set; } = null!;

    public async Task OnGetAsync() => Counts = await dashboard.CountAsync(HttpContext.RequestAborted);
}
