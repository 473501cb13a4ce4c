using System.Net;
using IdentityServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IdentityServer.Tests.RateLimiting;

/// <summary>The per-address limiters match exact paths; routing also serves the same pages with a trailing slash.</summary>
public sealed class RateLimitPathTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("/Account/ForgotPassword")]
    [InlineData("/Account/ForgotPassword/")]
    public async Task AccountFormPostsAreLimitedWhateverTheSpellingOfThePath(string path)
    {
        using var server = new ServerFactory();
        server.Settings["IdentityServer:RateLimits:AccountPostsPerMinutePerAddress"] = "2";
        using var browser = server.CreateBrowser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await People.PostPageAsync(browser, path, new Dictionary<string, string> { ["Email"] = "alice@example.com" })).StatusCode);
        }

        await Task.Delay(2000);
        var mails = Directory.Exists(server.MailFolder) ? Directory.GetFiles(server.MailFolder, "*", SearchOption.AllDirectories).Length : 0;
        output.WriteLine(path + ": " + string.Join(",", statuses) + " mails written: " + mails);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }
}
