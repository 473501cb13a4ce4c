using System.Buffers.Text;
using System.Net;
using System.Text.Json.Nodes;
using IdentityServer.Tests.Infrastructure;
using IdentityServer.Tests.Passkeys;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityServer.Tests.Security;

/// <summary>A server configured with <c>UserVerification = Preferred</c> (a documented option).</summary>
public sealed class PreferredUvPasskeyServer : ServerFactory
{
    public PreferredUvPasskeyServer()
    {
        Settings["IdentityServer:Accounts:RequireConfirmedEmail"] = "false";
        Settings["IdentityServer:Passkeys:UserVerification"] = "Preferred";
    }
}

/// <summary>amr inflation where user verification is only preferred.</summary>
public sealed class PasskeyUvInflationReviewTests(PreferredUvPasskeyServer server) : IClassFixture<PreferredUvPasskeyServer>
{
    /// <summary>
    /// Was a weakness (config Preferred/Discouraged; fixed with the ambiguity check): an answer whose signed authenticatorData has UV=0 gets <c>mfa</c>. The server
    /// reads UV from a decoy lower-case <c>authenticatorData</c> (a copy with the UV bit set, unsigned); Identity verifies
    /// the signature over the real one sent as <c>AuthenticatorData</c>.
    /// </summary>
    [Fact]
    public async Task AnUnverifiedPasskeyAnswerGetsNoMfaThroughACaseVariantAuthenticatorData()
    {
        var name = await People.NewUserAsync(server, "rv-uv");
        using var authenticator = new SoftwareAuthenticator();
        using (var owner = server.CreateBrowser())
        {
            await People.SignInAsync(owner, name, People.NewUserPassword);
            Assert.Equal(HttpStatusCode.OK, (await PasskeyCeremonies.AddAsync(owner, authenticator)).StatusCode);
        }

        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var authorize = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge, "openid profile")));
        var login = authorize.Headers.Location!.OriginalString;
        var returnUrl = QueryHelpers.ParseQuery(login[login.IndexOf('?', StringComparison.Ordinal)..])["ReturnUrl"].ToString();

        var (options, token) = await PasskeyCeremonies.StartSignInAsync(browser);
        var answer = JsonNode.Parse(authenticator.Get(options, PasskeyCeremonies.Origin, new GetSettings { UserVerified = false }))!.AsObject();
        var response = answer["response"]!.AsObject();
        var real = response["authenticatorData"]!.GetValue<string>();
        var bytes = Base64Url.DecodeFromChars(real);
        Assert.Equal(0, bytes[32] & 0x04);
        bytes[32] |= 0x04;
        var rebuilt = new JsonObject { ["authenticatorData"] = Base64Url.EncodeToString(bytes) };
        foreach (var (key, value) in response.ToList())
        {
            if (key != "authenticatorData")
            {
                rebuilt[key] = value?.DeepClone();
            }
        }

        rebuilt["AuthenticatorData"] = real;
        answer["response"] = rebuilt;

        // Refused before Identity checks anything: the answer names authenticatorData twice. No session, so no mfa.
        var signedIn = await PasskeyCeremonies.FinishSignInAsync(browser, token, answer.ToJsonString(), returnUrl);
        Assert.Equal(HttpStatusCode.BadRequest, signedIn.StatusCode);
        Assert.Contains("names a field twice", (await Browser.HtmlAsync(signedIn)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.False(await PasskeyCeremonies.SignedInAsync(browser));
    }

    /// <summary>Control: the same unverified answer without the decoy signs in without mfa.</summary>
    [Fact]
    public async Task AnUnverifiedPasskeyAnswerWithoutTheDecoyHasNoMfa()
    {
        var name = await People.NewUserAsync(server, "rv-uv0");
        using var authenticator = new SoftwareAuthenticator();
        using (var owner = server.CreateBrowser())
        {
            await People.SignInAsync(owner, name, People.NewUserPassword);
            Assert.Equal(HttpStatusCode.OK, (await PasskeyCeremonies.AddAsync(owner, authenticator)).StatusCode);
        }

        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var authorize = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge, "openid profile")));
        var login = authorize.Headers.Location!.OriginalString;
        var returnUrl = QueryHelpers.ParseQuery(login[login.IndexOf('?', StringComparison.Ordinal)..])["ReturnUrl"].ToString();
        var signedIn = await PasskeyCeremonies.SignInAsync(browser, authenticator, returnUrl, new GetSettings { UserVerified = false });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, returnUrl))["code"];
        var tokens = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = code,
            ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        }));
        var id = OAuth.JwtPayload(tokens.GetProperty("id_token").GetString()!);
        Assert.DoesNotContain("mfa", id["amr"].EnumerateArray().Select(m => m.GetString()));
    }
}
