using System.Net;
using IdentityServer.Tests.Infrastructure;
using IdentityServer.Tests.RateLimiting;

namespace IdentityServer.Tests.Passkeys;

/// <summary>Refused passkey answers spend the account's failure budget like wrong passwords (real default limits).</summary>
public sealed class PasskeyRateLimitTests
{
    [Fact]
    public async Task AfterTenRefusedPasskeyAnswersEvenTheRightOneIsRefusedUnchecked()
    {
        using var server = new ServerFactory { RaiseRateLimits = false };
        var name = await People.NewUserAsync(server, "budget");
        using var authenticator = new SoftwareAuthenticator();
        using (var owner = server.CreateBrowser())
        {
            await People.SignInAsync(owner, name, People.NewUserPassword);
            Assert.Equal(HttpStatusCode.OK, (await PasskeyCeremonies.AddAsync(owner, authenticator)).StatusCode);
        }

        using var browser = server.CreateBrowser();
        for (var i = 0; i < 10; i++)
        {
            var wrong = await PasskeyCeremonies.SignInAsync(browser, authenticator, settings: new GetSettings { Origin = "https://elsewhere.example" });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        var refused = await PasskeyCeremonies.SignInAsync(browser, authenticator);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(RateLimitTests.RetryAfter(refused), 1, 60);
        Assert.False(await PasskeyCeremonies.SignedInAsync(browser));
    }
}
