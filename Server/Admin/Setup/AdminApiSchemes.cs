using IdentityServer.Admin.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Validation.AspNetCore;

namespace IdentityServer.Admin.Setup;

/// <summary>
/// ASP.NET Core's scheme provider, except that OpenIddict's validation handler is offered the request only under
/// <c>/admin/api</c>, the one place its bearer tokens are read. As a request handler it would otherwise open a
/// validation transaction and dispatch an event on every request the server answers (the token endpoint included),
/// for nothing. Every other scheme, and every other use of this one (authenticate, challenge), is unchanged.
/// </summary>
internal sealed class AdminApiSchemes(IOptions<AuthenticationOptions> options, IHttpContextAccessor http) : AuthenticationSchemeProvider(options)
{
    private Filtered? cache;

    public override async Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
    {
        var all = await base.GetRequestHandlerSchemesAsync();
        if (http.HttpContext?.Request.Path.StartsWithSegments(AdminOpenApi.Prefix, StringComparison.OrdinalIgnoreCase) != false)
        {
            return all;
        }

        // The base class hands out the same array until a scheme is added or removed.
        var known = cache;
        if (known is null || !ReferenceEquals(known.All, all))
        {
            cache = known = new Filtered(all, [.. all.Where(s => s.Name != OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)]);
        }

        return known.WithoutValidation;
    }

    private sealed record Filtered(IEnumerable<AuthenticationScheme> All, AuthenticationScheme[] WithoutValidation);
}
