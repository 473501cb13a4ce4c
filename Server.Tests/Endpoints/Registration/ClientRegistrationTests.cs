using System.Net;
using System.Text.Json;
using Duende.IdentityModel.Client;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Tests.Endpoints.Registration;

/// <summary>Dynamic client registration (RFC 7591) and management (RFC 7592) on the wire, with the client then signing alice in.</summary>
public sealed class ClientRegistrationTests(RegistrationServer server) : IClassFixture<RegistrationServer>
{
    private static readonly string[] Redirects = ["https://app.example/callback", "http://[::1]/cb", "http://localhost:8080/cb"];

    [Fact]
    public async Task DiscoveryAdvertisesTheRegistrationEndpoint()
    {
        using var http = server.CreateClient();
        var discovery = await OAuth.JsonAsync(await http.GetAsync("/.well-known/openid-configuration"));
        Assert.Equal("http://localhost/connect/register", discovery.GetProperty("registration_endpoint").GetString());
    }

    [Fact]
    public async Task AClientRegisteredWithDuendeIdentityModelSignsAliceInWithCodeAndPkce()
    {
        using var http = server.CreateClient();
        var response = await http.RegisterClientAsync(new DynamicClientRegistrationRequest
        {
            Address = "http://localhost/connect/register",
            Document = new DynamicClientRegistrationDocument
            {
                ClientName = "Duende test client",
                RedirectUris = { new Uri(Registrations.LoopbackRedirect) },
                GrantTypes = { "authorization_code", "refresh_token" },
                ResponseTypes = { "code" },
                Scope = "openid profile offline_access",
                Extensions = new Dictionary<string, JsonElement> { ["token_endpoint_auth_method"] = JsonSerializer.SerializeToElement("none") },
            },
        });

        Assert.False(response.IsError, response.Error + " " + response.ErrorDescription + " " + response.Raw);
        Assert.Equal(HttpStatusCode.Created, response.HttpStatusCode);
        Assert.True(response.HttpResponse!.Headers.CacheControl?.NoStore);
        Assert.False(string.IsNullOrEmpty(response.ClientId));
        Assert.Null(response.ClientSecret);
        Assert.False(string.IsNullOrEmpty(response.RegistrationAccessToken));
        Assert.Equal($"http://localhost/connect/register/{response.ClientId}", response.RegistrationClientUri);
        Assert.Equal(response.RegistrationClientUri, response.HttpResponse.Headers.Location?.AbsoluteUri);
        Assert.InRange(response.ClientIdIssuedAt ?? 0, server.Time.GetUtcNow().ToUnixTimeSeconds() - 5, server.Time.GetUtcNow().ToUnixTimeSeconds() + 5);
        Assert.Equal("none", response.Json?.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal("Duende test client", response.Json?.GetProperty("client_name").GetString());
        Assert.Equal("openid profile offline_access", response.Json?.GetProperty("scope").GetString());

        using var browser = server.CreateBrowser();
        var tokens = await Registrations.SignInAsync(browser, response.ClientId);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        var body = await OAuth.JsonAsync(tokens);
        Assert.Equal(response.ClientId, OAuth.JwtPayload(body.GetProperty("access_token").GetString()!)["client_id"].GetString());
        Assert.True(body.TryGetProperty("id_token", out _));

        // The refresh token rotates like any public client's.
        var refreshed = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(response.ClientId, body.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task TheRegistrationAnswerEchoesWhatWasRegisteredAndDropsScopesNotOffered()
    {
        using var http = server.CreateClient();
        var metadata = Registrations.Metadata();
        metadata["scope"] = "openid email api roles made-up";
        metadata["logo_uri"] = "https://app.example/logo.png";
        metadata["client_uri"] = "https://app.example/";
        metadata["contacts"] = new[] { "ops@app.example" };
        var body = await Registrations.RegisterAsync(http, metadata);

        Assert.Equal("openid email", body.GetProperty("scope").GetString());
        Assert.Equal([Registrations.LoopbackRedirect], body.GetProperty("redirect_uris").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["authorization_code", "refresh_token"], body.GetProperty("grant_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["code"], body.GetProperty("response_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("https://app.example/logo.png", body.GetProperty("logo_uri").GetString());
        Assert.Equal("https://app.example/", body.GetProperty("client_uri").GetString());
        Assert.False(body.TryGetProperty("contacts", out _));
        Assert.False(body.TryGetProperty("client_secret", out _));

        // A dropped scope is not granted later either (OpenIddict answers a scope the client may not use with invalid_request).
        using var browser = server.CreateBrowser();
        var refused = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(body.GetProperty("client_id").GetString()!, Registrations.LoopbackRedirect, OAuth.Pkce().Challenge, "openid api")));
        var error = OAuth.Query(refused.Headers.Location!);
        Assert.False(error.ContainsKey("code"));
        Assert.Equal("invalid_request", error["error"]);
        Assert.Contains("scope", error["error_description"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client_secret_post")]
    [InlineData("client_secret_basic")]
    public async Task AClientAskingForASecretIsRegisteredPublicAndToldSo(string method)
    {
        using var http = server.CreateClient();
        var body = await Registrations.RegisterAsync(http, new Dictionary<string, object?> { ["redirect_uris"] = Redirects, ["token_endpoint_auth_method"] = method });

        Assert.Equal("none", body.GetProperty("token_endpoint_auth_method").GetString());
        Assert.False(body.TryGetProperty("client_secret", out _));
    }

    [Fact]
    public async Task MinimalMetadataRegistersACodeClientWithTheAllowedScopes()
    {
        using var http = server.CreateClient();
        var body = await Registrations.RegisterAsync(http, new Dictionary<string, object?> { ["redirect_uris"] = Redirects });

        Assert.Equal(["authorization_code"], body.GetProperty("grant_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("openid profile email offline_access", body.GetProperty("scope").GetString());
        Assert.Equal("none", body.GetProperty("token_endpoint_auth_method").GetString());
        Assert.False(body.TryGetProperty("client_name", out _));
        Assert.Equal(3, body.GetProperty("redirect_uris").GetArrayLength());
    }

    [Fact]
    public async Task TheRegistrationAccessTokenReadsTheClientConfiguration()
    {
        using var http = server.CreateClient();
        var registered = await Registrations.RegisterAsync(http);
        var clientId = registered.GetProperty("client_id").GetString()!;
        var token = registered.GetProperty("registration_access_token").GetString()!;

        var read = await Registrations.ManageAsync(http, HttpMethod.Get, clientId, token);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.True(read.Headers.CacheControl?.NoStore);
        var body = await OAuth.JsonAsync(read);
        Assert.Equal(clientId, body.GetProperty("client_id").GetString());
        Assert.Equal(registered.GetProperty("client_id_issued_at").GetInt64(), body.GetProperty("client_id_issued_at").GetInt64());
        Assert.Equal("Test MCP client", body.GetProperty("client_name").GetString());
        Assert.Equal(token, body.GetProperty("registration_access_token").GetString());
        Assert.Equal(registered.GetProperty("registration_client_uri").GetString(), body.GetProperty("registration_client_uri").GetString());
        Assert.Equal("openid profile offline_access", body.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task DeletingWithTheRegistrationAccessTokenRemovesTheClientAndItsTokens()
    {
        using var http = server.CreateClient();
        var registered = await Registrations.RegisterAsync(http);
        var clientId = registered.GetProperty("client_id").GetString()!;
        var token = registered.GetProperty("registration_access_token").GetString()!;
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.JsonAsync(await Registrations.SignInAsync(browser, clientId));

        string applicationId;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            applicationId = (await applications.GetIdAsync((await applications.FindByClientIdAsync(clientId))!))!;
        }

        var deleted = await Registrations.ManageAsync(http, HttpMethod.Delete, clientId, token);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            Assert.False(await db.Set<OpenIddictEntityFrameworkCoreToken>().AnyAsync(t => t.Application!.Id == applicationId));
            Assert.False(await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AnyAsync(a => a.Application!.Id == applicationId));
            Assert.False(await db.Set<OpenIddictEntityFrameworkCoreApplication>().AnyAsync(a => a.Id == applicationId));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Registrations.ManageAsync(http, HttpMethod.Get, clientId, token)).StatusCode);
        var refresh = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(clientId, tokens.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        Assert.Equal("invalid_client", Registrations.Error(await OAuth.JsonAsync(refresh)));
        Assert.False((await OAuth.IntrospectAsync(http, tokens.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());

        // An authorization request for the deleted client gets the error page, never a redirect.
        var authorize = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, Registrations.LoopbackRedirect, OAuth.Pkce().Challenge)));
        Assert.Equal(HttpStatusCode.BadRequest, authorize.StatusCode);
        Assert.Null(authorize.Headers.Location);
    }

    [Fact]
    public async Task ARegisteredLoopbackRedirectMatchesOnAnyPortLikeOtherPublicClients()
    {
        using var http = server.CreateClient();
        var clientId = (await Registrations.RegisterAsync(http)).GetProperty("client_id").GetString()!;
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await Registrations.SignInAsync(browser, clientId, "http://127.0.0.1:50001/callback")).StatusCode);
    }

    [Fact]
    public async Task TheConsentPageIsShownToARegisteredClientEveryTimeAndSaysItRegisteredItself()
    {
        using var http = server.CreateClient();
        var clientId = (await Registrations.RegisterAsync(http, new Dictionary<string, object?>
        {
            ["client_name"] = "Test MCP client", ["redirect_uris"] = new[] { Registrations.LoopbackRedirect },
        })).GetProperty("client_id").GetString()!;
        using var browser = server.CreateBrowser();
        await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(clientId, Registrations.LoopbackRedirect, OAuth.Pkce().Challenge, "openid profile"));

        // Consent was given; the next request asks again, and says where the client leads.
        var page = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, Registrations.LoopbackRedirect, OAuth.Pkce().Challenge, "openid profile")));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await Browser.HtmlAsync(page);
        Assert.Contains("Test MCP client", html.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(new Uri(Registrations.LoopbackRedirect).Host, html.QuerySelector(".client-host")!.TextContent);
        Assert.Contains("registered itself", html.QuerySelector(".origin")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(html.QuerySelector("button[name=consent][value=accept]"));
    }

    [Fact]
    public async Task ARegisteredClientSurvivesARestart()
    {
        var folder = ServerFactory.NewFolder();
        try
        {
            string clientId, token;
            await using (var first = new ServerFactory { Folder = folder })
            {
                Registrations.Enable(first);
                using var http = first.CreateClient();
                var registered = await Registrations.RegisterAsync(http);
                (clientId, token) = (registered.GetProperty("client_id").GetString()!, registered.GetProperty("registration_access_token").GetString()!);
            }

            // The configuration seeder runs again at this start; it only ever removes what configuration declared.
            await using var second = new ServerFactory { Folder = folder };
            Registrations.Enable(second);
            using var again = second.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await Registrations.ManageAsync(again, HttpMethod.Get, clientId, token)).StatusCode);
            using var browser = second.CreateBrowser();
            Assert.Equal(HttpStatusCode.OK, (await Registrations.SignInAsync(browser, clientId)).StatusCode);
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }
}
