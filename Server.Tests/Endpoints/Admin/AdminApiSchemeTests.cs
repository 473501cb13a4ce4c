using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Validation.AspNetCore;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>
/// OpenIddict's validation handler reads bearer tokens for the admin API only: it is offered admin API requests
/// (in any letter case, as routing matches them) and no others, where it would only cost every request its time.
/// </summary>
public sealed class AdminApiSchemeTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task TheAdminApiInAnotherLetterCaseStillReadsTheToken()
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http, "admin.read");

        var read = await AdminApi.GetAsync(http, "/ADMIN/Api/clients", token);
        var anonymous = await AdminApi.GetAsync(http, "/Admin/API/clients", token: null);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [InlineData("//admin/api/clients")]
    [InlineData("/admin//api/clients")]
    [InlineData("/admin/api%2Fclients")]
    public async Task AnAddressOnlyResemblingTheAdminApiOpensNothingAndBreaksNothing(string path)
    {
        using var http = server.CreateClient();
        var token = await AdminApi.TokenAsync(http, "admin.read");

        // Absolute, so that "//admin/…" is this server's path and not a network-path reference to a host named admin.
        var address = http.BaseAddress!.GetLeftPart(UriPartial.Authority) + path;
        Assert.EndsWith(path, new Uri(address).AbsolutePath, StringComparison.Ordinal);

        var response = await AdminApi.GetAsync(http, address, token);

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.OK)
        {
            // Only if routing took it for the admin API, and then the token was read and checked like any other.
            Assert.Equal(HttpStatusCode.Unauthorized, (await AdminApi.GetAsync(http, address, token: null)).StatusCode);
        }
    }

    [Theory]
    [InlineData("/connect/token", false)]
    [InlineData("/connect/userinfo", false)]
    [InlineData("/Account/Login", false)]
    [InlineData("/admin", false)]
    [InlineData("/admin/apis", false)]
    [InlineData("/admin/api/clients", true)]
    [InlineData("/ADMIN/API/users", true)]
    public async Task TheValidationHandlerIsOfferedOnlyAdminApiRequests(string path, bool offered)
    {
        var accessor = server.Services.GetRequiredService<IHttpContextAccessor>();
        var schemes = server.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        accessor.HttpContext = new DefaultHttpContext { Request = { Path = path } };
        try
        {
            var names = (await schemes.GetRequestHandlerSchemesAsync()).Select(s => s.Name).ToList();

            Assert.Equal(offered, names.Contains(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme));
            Assert.Contains(names, n => n != OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        }
        finally
        {
            accessor.HttpContext = null;
        }
    }
}
