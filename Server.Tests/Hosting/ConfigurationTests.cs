using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Tests.Hosting;

public sealed class ConfigurationTests
{
    private static Exception StartWith(params (string Key, string? Value)[] settings)
    {
        using var factory = new ServerFactory();
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }

        return Assert.ThrowsAny<Exception>(() => factory.CreateClient());
    }

    [Theory]
    [InlineData("IdentityServer:Tokens:AuthorizationCodeLifetime", "00:30:00", "IdentityServer:Tokens:AuthorizationCodeLifetime")]
    [InlineData("IdentityServer:Tokens:AccessTokenLifetime", "-00:01:00", "IdentityServer:Tokens:AccessTokenLifetime")]
    [InlineData("IdentityServer:Keys:AccessTokenSigningAlgorithm", "HS256", "IdentityServer:Keys:AccessTokenSigningAlgorithm")]
    [InlineData("IdentityServer:Issuer", "not a uri", "IdentityServer:Issuer")]
    [InlineData("IdentityServer:Tokens:RefreshTokenLifetime", "seven days", "IdentityServer:Tokens:RefreshTokenLifetime")]
    [InlineData("IdentityServer:Clients:0:Type", "secret", "IdentityServer:Clients:0:Type")]
    [InlineData("IdentityServer:Database:Provider", "PostgreSQL", "IdentityServer:Database:Provider")]
    [InlineData("IdentityServer:Keys:AccessTokenSigningAlgorithm", "1", "IdentityServer:Keys:AccessTokenSigningAlgorithm: '1' is not one of RS256, ES256")]
    [InlineData("IdentityServer:Keys:AccessTokenSigningAlgorithm", "RS256,ES256", "IdentityServer:Keys:AccessTokenSigningAlgorithm")]
    [InlineData("IdentityServer:Clients:0:Type", "0", "IdentityServer:Clients:0:Type")]
    [InlineData("IdentityServer:Isuer", "https://id.example.com/", "IdentityServer:Isuer")]
    [InlineData("IdentityServer:Tokens:AccesTokenLifetime", "00:05:00", "IdentityServer:Tokens:AccesTokenLifetime")]
    public void BadSettingStopsStartUpNamingTheKey(string key, string value, string named)
    {
        var error = StartWith((key, value));
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AClientWithoutGrantTypesIsNamed()
    {
        var settings = new Dictionary<string, string?>();
        var client = ConfiguredClients.Declare(settings, new TestClient("broken"));
        var error = StartWith([.. settings.Select(s => (s.Key, s.Value))]);
        Assert.Contains(client + ":GrantTypes", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnregisteredScopeOnAClientIsNamed()
    {
        var settings = new Dictionary<string, string?>();
        var client = ConfiguredClients.Declare(settings, new TestClient("x") { Secret = "0123456789abcdef0123", GrantTypes = ["client_credentials"], Scopes = ["nope"] });
        var error = StartWith([.. settings.Select(s => (s.Key, s.Value))]);
        Assert.Contains(client + ":Scopes:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedirectUriWithFragmentIsNamed()
    {
        var key = ConfiguredClients.DemoClientKey(OAuth.Spa, "RedirectUris:0");
        var error = StartWith((key, "http://localhost:5173/cb#x"));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutsideDevelopmentTheIssuerAndKeysAreRequired()
    {
        using var factory = new ProductionFactory();
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient()).Message;
        Assert.Contains("IdentityServer:Issuer", error, StringComparison.Ordinal);
        Assert.Contains("IdentityServer:Keys:EncryptionKeyFile", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OutsideDevelopmentAccountMailWithNeitherAnSmtpHostNorAPickupDirectoryStopsStartUp()
    {
        using var factory = new ProductionFactory();
        factory.Settings["IdentityServer:Issuer"] = "http://id.example.test/";
        factory.Settings["IdentityServer:RequireHttps"] = "false";
        factory.Settings["IdentityServer:Keys:GenerateMissing"] = "true";
        factory.Settings["IdentityServer:Accounts:Email:PickupDirectory"] = "";
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient()).Message;
        Assert.Contains("IdentityServer:Accounts:Email:SmtpHost", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartWithUnchangedConfigurationChangesNothing()
    {
        var folder = ServerFactory.NewFolder();
        try
        {
            string before;
            await using (var first = new ServerFactory { Folder = folder })
            {
                first.CreateClient().Dispose();
                before = await SnapshotAsync(first);
            }

            await using var second = new ServerFactory { Folder = folder };
            second.CreateClient().Dispose();
            Assert.Equal(before, await SnapshotAsync(second));
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task ChangedRedirectUriTakesEffectAtRestart()
    {
        var folder = ServerFactory.NewFolder();
        try
        {
            await using (var first = new ServerFactory { Folder = folder })
            {
                first.CreateClient().Dispose();
            }

            await using var second = new ServerFactory { Folder = folder };
            second.OverrideClient(OAuth.Spa, "RedirectUris:0", "http://localhost:5173/new-callback");
            using var browser = second.CreateBrowser();
            var old = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge)));
            Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
            var updated = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, "http://localhost:5173/new-callback", OAuth.Pkce().Challenge)));
            Assert.Equal(HttpStatusCode.Redirect, updated.StatusCode);
            Assert.StartsWith("/Account/Login", updated.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task PerClientAccessTokenLifetimeOverridesTheDefault()
    {
        using var factory = new ServerFactory();
        factory.OverrideClient(OAuth.Machine, "AccessTokenLifetime", "00:05:00");
        using var http = factory.CreateClient();
        var response = await Grants.MachineTokenAsync(http, scope: null);
        var claims = OAuth.JwtPayload((await OAuth.JsonAsync(response)).GetProperty("access_token").GetString()!);
        Assert.Equal(300, claims["exp"].GetInt64() - claims["iat"].GetInt64());
    }

    [Fact]
    public async Task SecretsAndPasswordsAreStoredHashed()
    {
        using var factory = new ServerFactory();
        factory.CreateClient().Dispose();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var secrets = await db.Set<OpenIddictEntityFrameworkCoreApplication>().Select(a => a.ClientSecret).ToListAsync();
        Assert.DoesNotContain(OAuth.MachineSecret, secrets);
        Assert.Contains(secrets, s => s is { Length: > 40 });
        var hashes = await db.Users.Select(u => u.PasswordHash).ToListAsync();
        Assert.DoesNotContain(ServerFactory.AlicePassword, hashes);
    }

    private static async Task<string> SnapshotAsync(ServerFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var apps = await db.Set<OpenIddictEntityFrameworkCoreApplication>().OrderBy(a => a.ClientId)
            .Select(a => a.ClientId + a.ConcurrencyToken + a.ClientSecret + a.Permissions + a.RedirectUris).ToListAsync();
        var scopes = await db.Set<OpenIddictEntityFrameworkCoreScope>().Select(s => s.Name + s.ConcurrencyToken).ToListAsync();
        var users = await db.Users.Select(u => u.UserName + u.ConcurrencyStamp + u.PasswordHash + u.SecurityStamp).ToListAsync();
        return string.Join("\n", apps.Concat(scopes).Concat(users));
    }

    private sealed class ProductionFactory : ServerFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }
}
