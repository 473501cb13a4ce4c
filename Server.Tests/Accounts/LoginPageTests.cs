using System.Diagnostics;
using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Accounts;

public sealed class LoginPageTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static async Task<HttpResponseMessage> SignInAsync(Browser browser, string login, string password, string? returnUrl = null)
    {
        var page = await browser.GetAsync("/Account/Login" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl)));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.SubmitFormAsync(page, new Dictionary<string, string> { ["Login"] = login, ["Password"] = password });
    }

    private async Task AddUserAsync(string name, string password)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        if (await users.FindByNameAsync(name) is null)
        {
            Assert.True((await users.CreateAsync(new ApplicationUser { UserName = name, Email = name + "@example.com", EmailConfirmed = true }, password)).Succeeded);
        }
    }

    [Fact]
    public async Task FormWithoutAntiforgeryTokenIsRejected()
    {
        using var browser = server.CreateBrowser();
        var response = await browser.PostFormAsync("/Account/Login", new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = ServerFactory.AlicePassword });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("idsrv.session", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example")]
    public async Task ReturnUrlToAnotherHostGoesHomeInstead(string returnUrl)
    {
        using var browser = server.CreateBrowser();
        var response = await SignInAsync(browser, "alice", ServerFactory.AlicePassword, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task UnknownUserAndWrongPasswordGetTheSameAnswer()
    {
        using var browser = server.CreateBrowser();
        await AddUserAsync("bob", "amber glacier pocket 17");
        var unknown = await SignInAsync(browser, "nobody-here", "whatever password");
        var wrong = await SignInAsync(browser, "bob", "not bob's password at all");

        Assert.Equal(unknown.StatusCode, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        static async Task<string?> Message(HttpResponseMessage r) => (await Browser.HtmlAsync(r)).QuerySelector("[role=alert]")?.TextContent.Trim();
        Assert.Equal(await Message(unknown), await Message(wrong));
    }

    [Fact]
    public async Task UnknownUserAndWrongPasswordTakeTheSameTime()
    {
        using var real = new ServerFactory { CheapHashing = false };
        using var browser = real.CreateBrowser();
        await People.SignInAsync(browser, "warm-up", "warm-up password");
        var unknown = new List<double>();
        var wrong = new List<double>();
        // Four rounds: a fifth wrong password would lock alice, and a locked account answers without hashing.
        for (var i = 0; i < 4; i++)
        {
            foreach (var (login, samples) in new[] { ("nobody-" + i, unknown), ("alice", wrong) })
            {
                var page = await browser.GetAsync("/Account/Login");
                var clock = Stopwatch.StartNew();
                var response = await browser.SubmitFormAsync(page, new Dictionary<string, string> { ["Login"] = login, ["Password"] = "not the password " + i });
                samples.Add(clock.Elapsed.TotalMilliseconds);
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var (a, b) = (Median(unknown), Median(wrong));
        Assert.True(Math.Abs(a - b) <= (0.5 * Math.Max(a, b)) + 15, $"unknown user {a:F1} ms, wrong password {b:F1} ms");
        Assert.True(Math.Min(a, b) > 5, $"hashing should cost something: {a:F1} / {b:F1} ms");
    }

    [Fact]
    public async Task RepeatedFailuresLockTheAccountTemporarily()
    {
        await AddUserAsync("carol", "violet umbrella tractor 42");
        using var browser = server.CreateBrowser();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(browser, "carol", "wrong password " + i)).StatusCode);
        }

        var locked = await SignInAsync(browser, "carol", "violet umbrella tractor 42");
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);

        Assert.Equal(
            (await Browser.HtmlAsync(await SignInAsync(browser, "nobody-at-all", "some password"))).QuerySelector("[role=alert]")?.TextContent,
            (await Browser.HtmlAsync(locked)).QuerySelector("[role=alert]")?.TextContent);

        // Identity's lockout runs on the system clock: check the lock is temporary (15 minutes), not permanent.
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var end = await users.GetLockoutEndDateAsync((await users.FindByNameAsync("carol"))!);
        Assert.InRange(end!.Value, DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
    }

    [Fact]
    public async Task HugeInputGetsAQuick4xx()
    {
        using var browser = server.CreateBrowser();
        var started = Stopwatch.StartNew();
        var longName = await SignInAsync(browser, new string('a', 10_000), "password password");
        var longPassword = await SignInAsync(browser, "alice", new string('p', 1_000_000));
        Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.InRange((int)longPassword.StatusCode, 400, 499);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), started.Elapsed.ToString());
    }

    [Fact]
    public async Task EmailWorksAsTheLoginName()
    {
        using var browser = server.CreateBrowser();
        var response = await SignInAsync(browser, "alice@example.com", ServerFactory.AlicePassword, "/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), v => v.StartsWith("idsrv.session=", StringComparison.Ordinal) && v.Contains("httponly", StringComparison.OrdinalIgnoreCase) && v.Contains("samesite=lax", StringComparison.OrdinalIgnoreCase));
    }
}
