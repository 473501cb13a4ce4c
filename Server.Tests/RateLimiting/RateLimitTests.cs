using System.Globalization;
using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.RateLimiting;

/// <summary>Sign-in limits, under the real default settings (10 failures a minute per account, 30 per address).</summary>
public sealed class RateLimitTests
{
    private const string WrongPassword = "not the password at all";
    private const string FailureText = "The user name or password is incorrect";

    [Fact]
    public async Task AHundredSignInsAMinuteForOneAccountFromOneAddressSucceed()
    {
        using var server = new ServerFactory { RaiseRateLimits = false };
        for (var i = 0; i < 100; i++)
        {
            using var browser = server.CreateBrowser();
            var response = await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in {i + 1} answered {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task FailedSignInsCountTowardOneBudgetPerAccountWhateverFieldOrAliasCarriesTheName()
    {
        using var server = new ServerFactory { RaiseRateLimits = false };
        server.Settings["IdentityServer:Users:1:UserName"] = "bob";
        server.Settings["IdentityServer:Users:1:Email"] = "bob@example.com";
        server.Settings["IdentityServer:Users:1:Password"] = "tangerine harbour quilt 19";
        using var browser = server.CreateBrowser();

        // Ten failures (the default budget), with the name in five different shapes, two of each.
        for (var round = 0; round < 2; round++)
        {
            await AssertFailedAsync(await PostLoginAsync(browser, "", ("Login", "alice"), ("Password", WrongPassword)));
            await AssertFailedAsync(await PostLoginAsync(browser, "", ("Login", "ALICE"), ("Password", WrongPassword)));
            await AssertFailedAsync(await PostLoginAsync(browser, "", ("Login", "Alice@Example.com"), ("Password", WrongPassword)));
            await AssertFailedAsync(await PostLoginAsync(browser, "", ("Login", "alice"), ("Login", "someone-else"), ("Password", WrongPassword)));
            await AssertFailedAsync(await PostLoginAsync(browser, "?Login=alice", ("Password", WrongPassword)));
        }

        // The right password is now refused too, unchecked, under any spelling.
        var limited = await People.SignInAsync(browser, "alice@example.com", ServerFactory.AlicePassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(RetryAfter(limited), 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword)).StatusCode);

        // Another account, from the same address, is not affected.
        await AssertFailedAsync(await People.SignInAsync(browser, "bob", WrongPassword));
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(server.CreateBrowser(), "bob", "tangerine harbour quilt 19")).StatusCode);
    }

    [Fact]
    public async Task AnUnknownNameIsRefusedExactlyLikeARealAccount()
    {
        using var server = new ServerFactory { RaiseRateLimits = false };
        using var browser = server.CreateBrowser();
        var answers = new List<(HttpStatusCode Status, string? Type, string Body, int RetryAfter)>();
        foreach (var name in new[] { "alice", "nobody-by-this-name" })
        {
            for (var i = 0; i < 10; i++)
            {
                await AssertFailedAsync(await People.SignInAsync(browser, name, WrongPassword));
            }

            var refused = await People.SignInAsync(browser, name, WrongPassword);
            answers.Add((refused.StatusCode, refused.Content.Headers.ContentType?.ToString(), await refused.Content.ReadAsStringAsync(), RetryAfter(refused)));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, answers[0].Status);
        Assert.Equal(answers[0], answers[1]);
    }

    [Fact]
    public async Task FailedSignInsFromOneAddressAreLimitedWhateverTheAccount()
    {
        using var server = new AddressedServerFactory { RaiseRateLimits = false };
        foreach (var (attacker, neighbour, elsewhere) in new[] { ("203.0.113.7", "203.0.113.7", "198.51.100.2"), ("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:3::1") })
        {
            using var browser = server.CreateBrowser(attacker);
            for (var i = 0; i < 30; i++)
            {
                await AssertFailedAsync(await People.SignInAsync(browser, $"guess-{attacker}-{i}", WrongPassword));
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, (await People.SignInAsync(browser, "yet-another-name", WrongPassword)).StatusCode);

            // An IPv6 /64 counts as one address; the next /64, like another IPv4 address, has its own budget.
            Assert.Equal(HttpStatusCode.TooManyRequests, (await People.SignInAsync(server.CreateBrowser(neighbour), "alice", ServerFactory.AlicePassword)).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(server.CreateBrowser(elsewhere), "alice", ServerFactory.AlicePassword)).StatusCode);
        }
    }

    [Fact]
    public async Task ASpentBudgetBlocksForAMinuteThenTwiceAsLongEachTimeItIsSpentAgain()
    {
        using var server = new ServerFactory { RaiseRateLimits = false };
        using var browser = server.CreateBrowser();
        foreach (var expected in new[] { 60, 120, 240 })
        {
            for (var i = 0; i < 10; i++)
            {
                await AssertFailedAsync(await People.SignInAsync(browser, "nobody-by-this-name", WrongPassword));
            }

            var refused = await People.SignInAsync(browser, "nobody-by-this-name", WrongPassword);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(expected, RetryAfter(refused));

            server.Time.Advance(TimeSpan.FromSeconds(expected - 1));
            Assert.Equal(HttpStatusCode.TooManyRequests, (await People.SignInAsync(browser, "nobody-by-this-name", WrongPassword)).StatusCode);
            server.Time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task WrongResetLinksAreLimitedLikeWrongPasswords()
    {
        using var server = new ServerFactory { RaiseRateLimits = false };
        using var browser = server.CreateBrowser();
        var form = new Dictionary<string, string> { ["Email"] = "alice@example.com", ["Code"] = "bm90LWEtcmVhbC1jb2Rl", ["Password"] = "a brand new passphrase 2026" };
        for (var i = 0; i < 10; i++)
        {
            var wrong = await People.PostPageAsync(browser, "/Account/ResetPassword?Email=alice%40example.com&Code=x", form);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("This reset link is invalid or has expired.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var refused = await People.PostPageAsync(browser, "/Account/ResetPassword?Email=alice%40example.com&Code=x", form);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(RetryAfter(refused), 1, 60);

        // The same account's budget: its password sign-in is refused now too.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword)).StatusCode);
    }

    [Fact]
    public async Task PostsToTheAccountFormsAreLimitedPerAddressWhateverTheirOutcome()
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:RateLimits:AccountPostsPerMinutePerAddress"] = "2";
        server.Settings["IdentityServer:RateLimits:SignInsPerMinutePerAddress"] = "3";
        using var browser = server.CreateBrowser();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = $"{i}@example.com" })).StatusCode);
        }

        var forgot = await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "c@example.com" });
        Assert.Equal(HttpStatusCode.TooManyRequests, forgot.StatusCode);
        Assert.InRange(RetryAfter(forgot), 1, 60);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(server.CreateBrowser(), "alice", ServerFactory.AlicePassword)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await People.SignInAsync(server.CreateBrowser(), "alice", ServerFactory.AlicePassword)).StatusCode);
    }

    internal static async Task AssertFailedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(FailureText, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    internal static int RetryAfter(HttpResponseMessage response) =>
        int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);

    /// <summary>Posts the sign-in form with exactly these fields (and the anti-forgery token), the way a script could.</summary>
    private static async Task<HttpResponseMessage> PostLoginAsync(Browser browser, string query, params (string Name, string Value)[] fields)
    {
        var page = await Browser.HtmlAsync(await browser.GetAsync("/Account/Login"));
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await browser.PostFormAsync("/Account/Login" + query, [.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value)), KeyValuePair.Create("__RequestVerificationToken", token)]);
    }
}
