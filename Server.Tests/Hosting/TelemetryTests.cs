using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Hosting;

public sealed class TelemetryTests
{
    [Fact]
    public async Task PrometheusEndpointShowsTokensIssuedAndErrorsAndSignIns()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Telemetry:Prometheus"] = "true";

        // The exporter caches a scrape for 300 ms by default; uncached, the one scrape below sees every count.
        server.TestServices.Add(services => services.Configure<OpenTelemetry.Exporter.PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        using var browser = server.CreateBrowser();
        var form = Grants.ClientCredentials();
        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(browser.Http, form, (OAuth.Machine, OAuth.MachineSecret))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await OAuth.TokenAsync(browser.Http, form, (OAuth.Machine, "wrong-secret-value"))).StatusCode);
        await People.SignInAsync(browser, "alice", "not the password");

        var metrics = await browser.Http.GetStringAsync("/metrics");

        Assert.Contains("identityserver_tokens_issued", metrics, StringComparison.Ordinal);
        Assert.Contains("grant_type=\"client_credentials\"", metrics, StringComparison.Ordinal);
        Assert.Contains("client_id=\"machine\"", metrics, StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_client\"", metrics, StringComparison.Ordinal);
        Assert.Contains("result=\"failed\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(OAuth.MachineSecret, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsEndpointIsOffByDefault()
    {
        using var server = new ServerFactory();
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
    }
}
