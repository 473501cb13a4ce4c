using System.Diagnostics;
using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Security;

/// <summary>
/// Unknown user, wrong password, locked account and unconfirmed account answer alike: same status, same
/// message, and (with the real password hashing) the same time within noise, over 20 interleaved samples each.
/// The tolerance (half the median) is far below what skipping the hash would save (all of it); the class runs
/// alone so other tests do not add noise.
/// </summary>
[Collection(LoginTimingRunsAlone.Name)]
public sealed class LoginTimingTests
{
    private const string Password = "lantern violet harbor 64";
    private const string Wrong = "not the password at all 1";

    [Fact]
    public async Task UnknownWrongLockedAndUnconfirmedAreIndistinguishable()
    {
        using var server = new ServerFactory { CheapHashing = false };
        server.Settings["IdentityServer:Accounts:MaxFailedAttempts"] = "1000";
        server.Settings["IdentityServer:Users:1:UserName"] = "lee";
        server.Settings["IdentityServer:Users:1:Email"] = "lee@example.com";
        server.Settings["IdentityServer:Users:1:Password"] = Password;
        server.Settings["IdentityServer:Users:2:UserName"] = "una";
        server.Settings["IdentityServer:Users:2:Email"] = "una@example.com";
        server.Settings["IdentityServer:Users:2:EmailConfirmed"] = "false";
        server.Settings["IdentityServer:Users:2:Password"] = Password;
        using var browser = server.CreateBrowser();
        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync("lee"))!, DateTimeOffset.MaxValue);
        }

        var page = await browser.GetAsync("/Account/Login");
        var token = (await Browser.HtmlAsync(page)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var cases = new (string Name, string Login, string Password)[]
        {
            ("unknown", "nobody-here", Wrong), ("wrong password", "alice", Wrong),
            ("locked, right password", "lee", Password), ("locked, wrong password", "lee", Wrong), ("unconfirmed, wrong password", "una", Wrong),
        };
        var samples = cases.ToDictionary(c => c.Name, _ => new List<double>());
        var messages = cases.ToDictionary(c => c.Name, _ => new HashSet<string>());
        for (var round = 0; round < 22; round++)
        {
            foreach (var (name, login, password) in cases)
            {
                var watch = Stopwatch.StartNew();
                var response = await browser.PostFormAsync("/Account/Login", new Dictionary<string, string>
                {
                    ["Login"] = login, ["Password"] = password, ["__RequestVerificationToken"] = token,
                });
                var html = await Browser.HtmlAsync(response);
                watch.Stop();
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                messages[name].Add(html.QuerySelector("[role=alert]")?.TextContent ?? "");
                if (round >= 2)
                {
                    samples[name].Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }

        var expected = messages["wrong password"].Single();
        Assert.All(messages, m => Assert.Equal(expected, Assert.Single(m.Value)));
        var medians = samples.ToDictionary(s => s.Key, s => Median(s.Value));
        var reference = medians["wrong password"];
        Assert.True(reference > 5, $"The real password hash should cost milliseconds; the median was {reference:F1} ms.");
        foreach (var (name, median) in medians)
        {
            Assert.True(Math.Abs(median - reference) <= Math.Max(10, reference * 0.5),
                $"{name}: median {median:F1} ms against {reference:F1} ms for a wrong password ({string.Join(", ", medians.Select(m => $"{m.Key} {m.Value:F1}"))})");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoginTimingRunsAlone
{
    public const string Name = "Login timing";
}
