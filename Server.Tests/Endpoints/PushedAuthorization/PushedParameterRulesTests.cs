using System.Net;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IdentityServer.Tests.Endpoints.PushedAuthorization;

/// <summary>ParameterRules refuses a repeated parameter at /connect/authorize, but is not registered for /connect/par.</summary>
public sealed class PushedParameterRulesTests(ITestOutputHelper output)
{
    /// <summary>Control: the same pushed request with acr_values=mfa given once is sent to the second-factor step.</summary>
    [Fact]
    public async Task APushedRequestWithAcrValuesOnceStepsUp()
    {
        await using var server = new ServerFactory();
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        var (_, challenge) = OAuth.Pkce();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = OAuth.Spa, ["response_type"] = "code", ["scope"] = "openid api", ["redirect_uri"] = OAuth.SpaRedirect,
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["state"] = "st", ["acr_values"] = "mfa",
        });
        var pushed = await browser.Http.PostAsync("/connect/par", content);
        var requestUri = JsonDocument.Parse(await pushed.Content.ReadAsStringAsync()).RootElement.GetProperty("request_uri").GetString()!;
        var authorize = await browser.GetAsync($"/connect/authorize?client_id={OAuth.Spa}&request_uri={Uri.EscapeDataString(requestUri)}");
        output.WriteLine($"{(int)authorize.StatusCode} {authorize.Headers.Location}");
        Assert.StartsWith("/Account/", authorize.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("acr_values", "mfa")]
    [InlineData("prompt", "login")]
    [InlineData("max_age", "0")]
    public async Task APushedRequestThatRepeatsAParameterIsRefusedAsAtTheAuthorizationEndpoint(string name, string value)
    {
        await using var server = new ServerFactory();
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        server.Time.Advance(TimeSpan.FromMinutes(10));
        var (_, challenge) = OAuth.Pkce();
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("client_id", OAuth.Spa), new("response_type", "code"), new("scope", "openid api"), new("redirect_uri", OAuth.SpaRedirect),
            new("code_challenge", challenge), new("code_challenge_method", "S256"), new("state", "st"), new(name, value), new(name, value),
        };

        // Baseline: the same at /connect/authorize directly.
        var direct = await browser.GetAsync("/connect/authorize?" + string.Join('&', pairs.Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value))));
        output.WriteLine($"direct: {(int)direct.StatusCode} {direct.Headers.Location}");

        using var content = new FormUrlEncodedContent(pairs);
        var pushed = await browser.Http.PostAsync("/connect/par", content);
        var body = await pushed.Content.ReadAsStringAsync();
        output.WriteLine($"par: {(int)pushed.StatusCode} {body}");
        if (!pushed.IsSuccessStatusCode)
        {
            return;
        }

        var requestUri = JsonDocument.Parse(body).RootElement.GetProperty("request_uri").GetString()!;
        var authorize = await browser.GetAsync($"/connect/authorize?client_id={OAuth.Spa}&request_uri={Uri.EscapeDataString(requestUri)}");
        for (var step = 0; step < 4; step++)
        {
            if (authorize.StatusCode == HttpStatusCode.OK && authorize.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/connect/authorize", StringComparison.Ordinal))
            {
                output.WriteLine("consent page shown; accepting");
                authorize = await browser.SubmitFormAsync(authorize, button: ("consent", "accept"));
            }
            else if (authorize.StatusCode == HttpStatusCode.Redirect && authorize.Headers.Location!.OriginalString.StartsWith("/connect/authorize", StringComparison.Ordinal))
            {
                authorize = await browser.GetAsync(authorize.Headers.Location.OriginalString);
            }
            else
            {
                break;
            }
        }

        var location = authorize.Headers.Location?.ToString() ?? "";
        output.WriteLine($"authorize via par: {(int)authorize.StatusCode} {location}");
        Assert.False(location.StartsWith(OAuth.SpaRedirect, StringComparison.Ordinal) && location.Contains("code=", StringComparison.Ordinal),
            "a code was issued for a pushed request that repeated " + name);
    }
}
