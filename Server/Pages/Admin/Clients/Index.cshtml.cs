using System.ComponentModel.DataAnnotations;
using IdentityServer.Admin;
using IdentityServer.Admin.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IdentityServer.Pages.Admin.Clients;

internal sealed class IndexModel(AdminClients clients, IOptions<AdminOptions> options) : PageModel
{
    private const int Size = 50;

    [BindProperty(SupportsGet = true)]
    [StringLength(200)]
    [Display(Name = "Client id or name contains")]
    public string? Q { get; set; }

    /// <summary>"p", not "page": Razor Pages keeps the route value <c>page</c> for the page's own name.</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    [Range(1, 100_000)]
    public int? PageNumber { get; set; }

    public Page<ClientView> Clients { get; private set; } = null!;

    public bool HasNext => (long)Clients.PageNumber * Clients.PageSize < Clients.Total;

    public async Task OnGetAsync()
    {
        var valid = ModelState.IsValid;
        var request = new PageRequest(valid ? PageNumber ?? 1 : 1, Math.Min(Size, options.Value.MaxPageSize), valid && !string.IsNullOrWhiteSpace(Q) ? Q.Trim() : null);
        Clients = await clients.ListAsync(request, HttpContext.RequestAborted);
    }
}
