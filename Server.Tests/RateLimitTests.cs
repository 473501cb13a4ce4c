using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task TooManySignInsForOneAccountAnswer429WithRetryAfter()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:RateLimits:SignInsPerMinutePerAccount"] = "3";
        using var browser = server.CreateBrowser();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(browser, "alice", "wrong password " + i)).StatusCode);
        }

        var limited = await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);

        // Another account from the same address is not affected by alice's limit.
        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(browser, "someone-else", "whatever password")).StatusCode);
    }

    [Fact]
    public async Task TooManyAccountPostsFromOneAddressAnswer429()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:RateLimits:AccountPostsPerMinutePerAddress"] = "2";
        using var browser = server.CreateBrowser();
        await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "a@example.com" });
        await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "b@example.com" });
        var limited = await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "c@example.com" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task TooManyTokenRequestsFromOneClientAnswer429WithJson()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:RateLimits:TokenRequestsPerSecondPerClient"] = "2";
        using var http = server.CreateClient();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6 && limited is null; i++)
        {
            var response = await OAuth.TokenAsync(http, form, (OAuth.Machine, OAuth.MachineSecret));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Equal("too_many_requests", (await OAuth.JsonAsync(limited)).GetProperty("error").GetString());
    }
}
