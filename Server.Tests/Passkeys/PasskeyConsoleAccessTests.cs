using System.Net;
using IdentityServer.Tests.Admin;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Passkeys;

/// <summary>A passkey sign-in is the recent second factor the admin console asks for.</summary>
public sealed class PasskeyConsoleAccessTests(PasskeyServer server) : IClassFixture<PasskeyServer>
{
    [Fact]
    public async Task AnAdminWithOnlyAPasskeyIsLetInAfterAPasskeySignInAndAskedToSignInAgainAfterAPasswordOne()
    {
        var (name, _) = await ConsoleAdmins.NewAdminAsync(server, authenticator: false);
        using var authenticator = new SoftwareAuthenticator();
        using (var password = server.CreateBrowser())
        {
            await People.SignInAsync(password, name, People.NewUserPassword);
            Assert.Equal(HttpStatusCode.OK, (await PasskeyCeremonies.AddAsync(password, authenticator)).StatusCode);

            // A password alone is not enough, and the refusal says to sign in again rather than to set up 2FA.
            var refused = await password.GetAsync("/admin");
            Assert.Equal("/Account/Login?Reauthenticate=true&ReturnUrl=%2Fadmin", refused.Headers.Location!.OriginalString);
        }

        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await PasskeyCeremonies.SignInAsync(browser, authenticator)).StatusCode);
        var page = await ConsoleAdmins.PageAsync(browser, "/admin");
        Assert.Equal("Dashboard", page.QuerySelector("h1")!.TextContent);
    }
}
