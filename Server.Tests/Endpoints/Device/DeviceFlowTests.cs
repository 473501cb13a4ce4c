using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Device;

/// <summary>
/// The device authorization grant (RFC 8628), driven by Duende.IdentityModel as a TV app would, with the
/// person approving on the verification page in a browser of their own.
/// </summary>
public sealed class DeviceFlowTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Tv = "tv";

    private static async Task<DeviceAuthorizationResponse> StartAsync(HttpClient device)
    {
        var started = await device.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = "http://localhost/connect/device", ClientId = Tv, Scope = "openid profile offline_access api",
        });
        Assert.False(started.IsError, started.Error);
        return started;
    }

    private static Task<TokenResponse> PollAsync(HttpClient device, DeviceAuthorizationResponse started) =>
        device.RequestDeviceTokenAsync(new DeviceTokenRequest { Address = "http://localhost/connect/token", ClientId = Tv, DeviceCode = started.DeviceCode! });

    /// <summary>Alice, signed in, opens the complete verification address and answers.</summary>
    private static async Task<HttpResponseMessage> AnswerAsync(Browser person, DeviceAuthorizationResponse started, string answer)
    {
        await People.SignInAsync(person, "alice", ServerFactory.AlicePassword, "/");
        var page = await person.GetAsync(new Uri(started.VerificationUriComplete!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Demo TV app", (await Browser.HtmlAsync(page)).QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        return await person.SubmitFormAsync(page, button: ("decision", answer));
    }

    [Fact]
    public async Task ATvGetsTokensOnceAliceApprovesOnTheVerificationPage()
    {
        using var device = server.CreateClient();
        using var person = server.CreateBrowser();
        var started = await StartAsync(device);
        Assert.Equal("http://localhost/device", started.VerificationUri);
        Assert.Contains(Uri.EscapeDataString(started.UserCode!), started.VerificationUriComplete, StringComparison.Ordinal);
        Assert.Equal(5, started.Interval);

        Assert.Equal("authorization_pending", (await PollAsync(device, started)).Error);

        var approved = await AnswerAsync(person, started, "accept");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal("/device?result=approved", approved.Headers.Location!.OriginalString);
        server.Time.Advance(TimeSpan.FromSeconds(started.Interval));

        var tokens = await PollAsync(device, started);
        Assert.False(tokens.IsError, tokens.Error);
        Assert.NotNull(tokens.RefreshToken);
        Assert.Equal("tv", OAuth.JwtPayload(tokens.AccessToken!)["client_id"].GetString());
    }

    [Fact]
    public async Task AClientThatRequiresMfaGetsNothingUntilThePersonProvesASecondFactor()
    {
        using var own = new ServerFactory();
        own.OverrideClient(Tv, "RequireMfa", "true");
        using var device = own.CreateClient();
        using var person = own.CreateBrowser();
        var started = await StartAsync(device);

        var approved = await AnswerAsync(person, started, "accept");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.StartsWith("/Account/Manage/TwoFactor?ReturnUrl=%2Fdevice%3Fuser_code%3D", approved.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("authorization_pending", (await PollAsync(device, started)).Error);

        var enrol = await person.GetAsync(approved.Headers.Location.OriginalString);
        var key = (await Browser.HtmlAsync(enrol)).QuerySelector("#shared-key")!.TextContent;
        var enrolled = await person.SubmitFormAsync(enrol, new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow) });
        var back = (await Browser.HtmlAsync(enrolled)).QuerySelector("a#continue")!.GetAttribute("href")!;
        var page = await person.GetAsync(back);
        Assert.Equal("/device?result=approved", (await person.SubmitFormAsync(page, button: ("decision", "accept"))).Headers.Location!.OriginalString);

        own.Time.Advance(TimeSpan.FromSeconds(started.Interval));
        var tokens = await PollAsync(device, started);
        Assert.False(tokens.IsError, tokens.Error);
        Assert.Equal(["pwd", "otp", "mfa"], Tokens.Amr(tokens.AccessToken!));
    }

    [Fact]
    public async Task ADeniedDeviceGetsAccessDenied()
    {
        using var device = server.CreateClient();
        using var person = server.CreateBrowser();
        var started = await StartAsync(device);

        var denied = await AnswerAsync(person, started, "deny");
        Assert.Equal("/device?result=denied", denied.Headers.Location!.OriginalString);

        Assert.Equal("access_denied", (await PollAsync(device, started)).Error);
    }

    [Fact]
    public async Task PollingSoonerThanTheIntervalIsSlowDownAndEachSlowDownAddsFiveSeconds()
    {
        // Its own server: the clock moves.
        await using var own = new ServerFactory();
        using var device = own.CreateClient();
        var started = await StartAsync(device);

        Assert.Equal("authorization_pending", (await PollAsync(device, started)).Error);
        var tooSoon = await PollAsync(device, started);
        Assert.Equal(HttpStatusCode.BadRequest, tooSoon.HttpStatusCode);
        Assert.Equal("slow_down", tooSoon.Error);

        // The interval is now ten seconds (RFC 8628 §3.5): five is still too soon, and that poll makes it fifteen.
        own.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("slow_down", (await PollAsync(device, started)).Error);
        own.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal("authorization_pending", (await PollAsync(device, started)).Error);

        // Another device is not slowed by this one.
        var other = await StartAsync(device);
        Assert.Equal("authorization_pending", (await PollAsync(device, other)).Error);
    }

    [Fact]
    public async Task AnExpiredDeviceCodeIsExpiredToken()
    {
        // Its own server: the clock moves.
        await using var own = new ServerFactory();
        using var device = own.CreateClient();
        var started = await StartAsync(device);

        own.Time.Advance(TimeSpan.FromSeconds(started.ExpiresIn!.Value + 1));

        Assert.Equal("expired_token", (await PollAsync(device, started)).Error);
    }

    [Fact]
    public async Task AWrongCodeOnTheVerificationPageSaysSoAndIssuesNothing()
    {
        using var person = server.CreateBrowser();
        await People.SignInAsync(person, "alice", ServerFactory.AlicePassword, "/");

        var page = await person.GetAsync("/device?user_code=000000000");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("not valid", (await Browser.HtmlAsync(page)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHeadRequestForTheVerificationPageIsABadRequestNotAServerError()
    {
        using var person = server.CreateBrowser();
        await People.SignInAsync(person, "alice", ServerFactory.AlicePassword, "/");

        // OpenIddict takes user codes by GET or POST only; asking it about a HEAD request was a 500 (found by the fuzz test).
        var response = await person.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/device?user_code=123456789"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TheVerificationPageAsksToSignInFirst()
    {
        using var person = server.CreateBrowser();
        var page = await person.GetAsync("/device?user_code=123");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/Account/Login?ReturnUrl=%2Fdevice%3Fuser_code%3D123", page.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task GuessingUserCodesFromOneAddressIsCapped()
    {
        // Its own server, with the real limits and a small budget.
        await using var own = new ServerFactory { RaiseRateLimits = false };
        own.Settings["IdentityServer:RateLimits:UserCodeAttemptsPerMinutePerAddress"] = "3";
        using var person = own.CreateBrowser();
        await People.SignInAsync(person, "alice", ServerFactory.AlicePassword, "/");

        for (var guess = 0; guess < 3; guess++)
        {
            Assert.Equal(HttpStatusCode.OK, (await person.GetAsync($"/device?user_code=11111111{guess}")).StatusCode);
        }

        var capped = await person.GetAsync("/device?user_code=111111113");
        Assert.Equal(HttpStatusCode.TooManyRequests, capped.StatusCode);
        Assert.NotNull(capped.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/device")).StatusCode);
    }

    [Fact]
    public async Task WrongCodesAreCappedServerWideWhateverTheAddressAndRightCodesDoNotCount()
    {
        // The per-address cap out of the way: what is left is the budget of wrong codes shared by all addresses,
        // which guessers spreading their attempts over many addresses all draw from.
        await using var own = new ServerFactory { RaiseRateLimits = false };
        own.Settings["IdentityServer:RateLimits:UserCodeAttemptsPerMinutePerAddress"] = "1000";
        own.Settings["IdentityServer:RateLimits:FailedUserCodesPerMinute"] = "3";
        using var device = own.CreateClient();
        using var person = own.CreateBrowser();
        await People.SignInAsync(person, "alice", ServerFactory.AlicePassword, "/");

        // A person's own code, looked at again and again, spends nothing.
        var started = await StartAsync(device);
        for (var look = 0; look < 5; look++)
        {
            Assert.Equal(HttpStatusCode.OK, (await person.GetAsync(new Uri(started.VerificationUriComplete!).PathAndQuery)).StatusCode);
        }

        for (var guess = 0; guess < 3; guess++)
        {
            Assert.Equal(HttpStatusCode.OK, (await person.GetAsync($"/device?user_code=22222222{guess}")).StatusCode);
        }

        var capped = await person.GetAsync("/device?user_code=222222223");
        Assert.Equal(HttpStatusCode.TooManyRequests, capped.StatusCode);
        Assert.NotNull(capped.Headers.RetryAfter);

        // After the window, codes are checked again.
        own.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync(new Uri(started.VerificationUriComplete!).PathAndQuery)).StatusCode);
    }

    [Fact]
    public async Task WithoutADeclaredDeviceClientTheFlowIsOffAndDiscoveryHidesIt()
    {
        await using var own = new ServerFactory();
        own.OverrideClient(Tv, "GrantTypes:0", "refresh_token");
        using var http = own.CreateClient();

        var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        Assert.False(discovery.TryGetProperty("device_authorization_endpoint", out _));
        Assert.DoesNotContain("urn:ietf:params:oauth:grant-type:device_code", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/device?user_code=123456789")).StatusCode);
        var start = await http.PostAsync("/connect/device", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = Tv }));
        Assert.True((int)start.StatusCode is 404 or 405, start.StatusCode.ToString());
    }

    [Fact]
    public async Task AClientWithoutTheGrantCannotStartAndDiscoveryAdvertisesTheEndpoint()
    {
        using var http = server.CreateClient();
        var refused = await http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest { Address = "http://localhost/connect/device", ClientId = OAuth.Spa, Scope = "openid" });
        Assert.Equal("unauthorized_client", refused.Error);

        var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        Assert.Equal("http://localhost/connect/device", discovery.GetProperty("device_authorization_endpoint").GetString());
        Assert.Contains("urn:ietf:params:oauth:grant-type:device_code", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));
    }
}
