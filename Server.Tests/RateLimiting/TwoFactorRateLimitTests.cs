using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.RateLimiting;

/// <summary>Wrong second-factor codes spend the same failure budget as wrong passwords (real default limits).</summary>
public sealed class TwoFactorRateLimitTests
{
    private const string Password = "violet anchor mountain 42";

    [Fact]
    public async Task WrongAuthenticatorAndRecoveryCodesShareTheAccountsFailureBudget()
    {
        using var server = new ServerFactory { RaiseRateLimits = false };
        using var owner = server.CreateBrowser();
        await People.RegisterAsync(owner, "tess", "tess@example.com", Password);
        await owner.GetAsync(new Uri((await People.LastMailAsync(server, "tess@example.com")).Link).PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(owner, "tess", Password, "/")).StatusCode);
        var (key, enabled) = await People.EnableTwoFactorAsync(owner);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);

        using var browser = server.CreateBrowser();
        var password = await People.SignInAsync(browser, "tess", Password, "/");
        Assert.StartsWith("/Account/LoginWith2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await People.PostPageAsync(browser, "/Account/LoginWith2fa", new Dictionary<string, string> { ["Code"] = "000000" })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await People.PostPageAsync(browser, "/Account/LoginWithRecoveryCode", new Dictionary<string, string> { ["Code"] = "AAAAA-BBBBB" })).StatusCode);
        }

        // Ten failures: even the right code is refused now, unchecked.
        var refused = await People.PostPageAsync(browser, "/Account/LoginWith2fa", new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(RateLimitTests.RetryAfter(refused), 1, 60);
    }
}
