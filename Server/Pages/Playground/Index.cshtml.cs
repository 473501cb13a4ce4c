using IdentityServer.Seeding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace IdentityServer.Pages.Playground;

/// <summary>
/// A developer's window on the protocol: the page signs in with a demo client (code + PKCE, all in the browser,
/// script from wwwroot/js/playground.js) and shows what comes back. It is its own redirect URI.
/// </summary>
[DevelopmentOnly]
internal sealed class IndexModel(IOptions<SeedOptions> declared) : PageModel
{
    public IReadOnlyList<PlaygroundClient> Clients { get; private set; } = [];

    public void OnGet() => Clients = PlaygroundClient.From(declared.Value);
}
