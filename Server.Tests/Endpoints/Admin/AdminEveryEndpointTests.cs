using System.Net;
using System.Text.RegularExpressions;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>
/// Every endpoint the app registered under /admin/api, read from its EndpointDataSource so a new one cannot be
/// forgotten: none answers without a token, reads need admin.read and writes admin.write, each as problem details.
/// </summary>
public sealed partial class AdminEveryEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private List<(string Method, string Path)> Endpoints() =>
        [.. server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/admin/api/", StringComparison.Ordinal) == true && e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            .Where(e => e.RoutePattern.RawText is not ("/admin/api/openapi.json") && !e.RoutePattern.RawText!.StartsWith("/admin/api/docs", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => (m, Parameter().Replace(e.RoutePattern.RawText!.TrimEnd('/'), "x"))))];

    [Fact]
    public async Task NoEndpointAnswersWithoutAToken()
    {
        using var http = server.CreateClient();
        var endpoints = Endpoints();

        Assert.True(endpoints.Count >= 25);
        foreach (var (method, path) in endpoints)
        {
            var response = await AdminApi.SendAsync(http, new HttpMethod(method), path, token: null, method is "POST" or "PUT" ? "{}" : null);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            await AdminApi.ProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task EveryWriteNeedsTheWriteScopeAndEveryReadTheReadScope()
    {
        using var http = server.CreateClient();
        var read = await AdminApi.TokenAsync(http, "admin.read");
        var write = await AdminApi.TokenAsync(http, "admin.write");

        foreach (var (method, path) in Endpoints())
        {
            var wrong = method == "GET" ? write : read;
            var response = await AdminApi.SendAsync(http, new HttpMethod(method), path, wrong, method is "POST" or "PUT" ? "{}" : null);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
            await AdminApi.ProblemAsync(response, HttpStatusCode.Forbidden);
        }
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
