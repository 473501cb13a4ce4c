using Scalar.AspNetCore;

namespace IdentityServer.Admin.Api;

/// <summary>
/// The admin API's OpenAPI document at <c>/admin/api/openapi.json</c> (every <c>/admin/api</c> endpoint and nothing
/// else), and its browsable reference (Scalar) at <c>/admin/api/docs</c>. Scalar's script is the copy bundled in the
/// Scalar.AspNetCore package, served from this server: nothing is loaded from a CDN. Its page runs an inline
/// configuration script and inline styles, so it carries its own Content-Security-Policy (<see cref="ReferencePolicy"/>)
/// instead of the pages' stricter one; it still allows nothing from another origin and no framing.
/// </summary>
internal static class AdminOpenApi
{
    /// <summary>Where every admin API endpoint lives.</summary>
    public const string Prefix = "/admin/api";

    public const string DocumentName = "v1";
    public const string DocumentPath = Prefix + "/openapi.json";
    public const string ReferencePath = Prefix + "/docs";

    public const string ReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IServiceCollection AddAdminOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = description => description.RelativePath?.StartsWith(Prefix[1..] + "/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer<BearerSecurityScheme>();
        });

    public static void MapAdminOpenApi(this WebApplication app, bool reference)
    {
        app.MapOpenApi(DocumentPath);
        if (!reference)
        {
            return;
        }

        app.MapScalarApiReference(ReferencePath, o =>
        {
            o.WithTitle("IdentityServer admin API");
            o.WithOpenApiRoutePattern(DocumentPath);
        });
    }

    /// <summary>The reference page's headers, set before it runs (see <see cref="ReferencePolicy"/>).</summary>
    public static void AddReferenceHeaders(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(ReferencePath))
        {
            context.Response.Headers.ContentSecurityPolicy = ReferencePolicy;
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
        }
    }
}
