using System.Net;
using System.Text.RegularExpressions;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>The admin API's OpenAPI document and its Scalar reference.</summary>
public sealed class AdminOpenApiTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task TheDocumentListsEveryAdminEndpointTheAppRegistered()
    {
        using var http = server.CreateClient();
        var document = await AdminApi.OkJsonAsync(await http.GetAsync("/admin/api/openapi.json"));
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => $"{operation.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        var registered = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/admin/api/", StringComparison.Ordinal) == true)
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null && !e.RoutePattern.RawText!.StartsWith("/admin/api/docs", StringComparison.Ordinal)
                && e.RoutePattern.RawText != "/admin/api/openapi.json")
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(registered.Count >= 25, string.Join("\n", registered));
        Assert.Empty(registered.Except(documented));
        Assert.Empty(documented.Except(registered));
    }

    [Fact]
    public async Task TheDocumentDeclaresTheBearerSchemeAndRequiresIt()
    {
        using var http = server.CreateClient();
        var document = await AdminApi.OkJsonAsync(await http.GetAsync("/admin/api/openapi.json"));

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        Assert.All(document.GetProperty("paths").EnumerateObject(), p => Assert.StartsWith("/admin/api/", p.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheReferenceLoadsNothingFromAnotherOriginAndCannotBeFramed()
    {
        using var http = server.CreateClient();

        var page = await http.GetAsync("/admin/api/docs");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("cdn.jsdelivr", html, StringComparison.Ordinal);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        var script = Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        var bundle = await http.GetAsync(new Uri(page.RequestMessage!.RequestUri!, script));
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
    }
}
