using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests;

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
    [InlineData("IdentityServer:Clients:4:ClientId", "broken", "IdentityServer:Clients:4:GrantTypes")]
    [InlineData("IdentityServer:Tokens:AuthorizationCodeLifetime", "00:30:00", "IdentityServer:Tokens:AuthorizationCodeLifetime")]
    [InlineData("IdentityServer:Tokens:AccessTokenLifetime", "-00:01:00", "IdentityServer:Tokens:AccessTokenLifetime")]
    [InlineData("IdentityServer:Keys:AccessTokenSigningAlgorithm", "HS256", "IdentityServer:Keys:AccessTokenSigningAlgorithm")]
    [InlineData("IdentityServer:Issuer", "not a uri", "IdentityServer:Issuer")]
    [InlineData("IdentityServer:Tokens:RefreshTokenLifetime", "seven days", "IdentityServer:Tokens:RefreshTokenLifetime")]
    public void BadSettingStopsStartUpNamingTheKey(string key, string value, string named)
    {
        var error = StartWith((key, value));
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnregisteredScopeOnAClientIsNamed()
    {
        var error = StartWith(
            ("IdentityServer:Clients:4:ClientId", "x"),
            ("IdentityServer:Clients:4:Secret", "0123456789abcdef0123"),
            ("IdentityServer:Clients:4:GrantTypes:0", "client_credentials"),
            ("IdentityServer:Clients:4:Scopes:0", "nope"));
        Assert.Contains("IdentityServer:Clients:4:Scopes:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RedirectUriWithFragmentIsNamed()
    {
        var error = StartWith(("IdentityServer:Clients:0:RedirectUris:0", "http://localhost:5173/cb#x"));
        Assert.Contains("IdentityServer:Clients:0:RedirectUris:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutsideDevelopmentTheIssuerAndKeysAreRequired()
    {
        using var factory = new ProductionFactory();
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient()).Message;
        Assert.Contains("IdentityServer:Issuer", error, StringComparison.Ordinal);
        Assert.Contains("IdentityServer:Keys:RsaSigningKeyFile", error, StringComparison.Ordinal);
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
            second.Settings["IdentityServer:Clients:0:RedirectUris:0"] = "http://localhost:5173/new-callback";
            using var browser = second.CreateBrowser();
            var old = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge)));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, old.StatusCode);
            var updated = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, "http://localhost:5173/new-callback", OAuth.Pkce().Challenge)));
            Assert.Equal(System.Net.HttpStatusCode.Redirect, updated.StatusCode);
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
        factory.Settings["IdentityServer:Clients:2:AccessTokenLifetime"] = "00:05:00";
        using var http = factory.CreateClient();
        var response = await OAuth.TokenAsync(http, new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, (OAuth.Machine, OAuth.MachineSecret));
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
        var secrets = await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().Select(a => a.ClientSecret).ToListAsync();
        Assert.DoesNotContain(OAuth.MachineSecret, secrets);
        Assert.Contains(secrets, s => s is { Length: > 40 });
        var hashes = await db.Users.Select(u => u.PasswordHash).ToListAsync();
        Assert.DoesNotContain(ServerFactory.AlicePassword, hashes);
    }

    private static async Task<string> SnapshotAsync(ServerFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var apps = await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().OrderBy(a => a.ClientId)
            .Select(a => a.ClientId + a.ConcurrencyToken + a.ClientSecret + a.Permissions + a.RedirectUris).ToListAsync();
        var scopes = await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreScope>().Select(s => s.Name + s.ConcurrencyToken).ToListAsync();
        var users = await db.Users.Select(u => u.UserName + u.ConcurrencyStamp + u.PasswordHash + u.SecurityStamp).ToListAsync();
        return string.Join("\n", apps.Concat(scopes).Concat(users));
    }

    private sealed class ProductionFactory : ServerFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseEnvironment(builder, "Production");
        }
    }
}
