using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace IdentityServer.Tests.Security;

/// <summary>Configuration is the source of truth for what it declares — and only for that.</summary>
public sealed class RemovedFromConfigurationTests
{
    private const string ExtraSecret = "extra-secret-change-me-0123456789";
    private const string CarolPassword = "juniper compass falcon 19";

    [Fact]
    public async Task ClientsScopesAndUsersRemovedFromConfigurationStopWorkingAtTheNextStart()
    {
        var folder = ServerFactory.NewFolder();
        try
        {
            await using (var first = new ServerFactory { Folder = folder })
            {
                first.Settings["IdentityServer:Scopes:1:Name"] = "extra-scope";
                first.DeclareClient(new TestClient("extra") { Type = "confidential", Secret = ExtraSecret, GrantTypes = ["client_credentials"], Scopes = ["extra-scope"] });
                first.Settings["IdentityServer:Users:1:UserName"] = "carol";
                first.Settings["IdentityServer:Users:1:Email"] = "carol@example.com";
                first.Settings["IdentityServer:Users:1:Password"] = CarolPassword;
                using var client = first.CreateClient();
                Assert.Equal(HttpStatusCode.OK, (await MachineTokenAsync(client)).StatusCode);

                // Rows made another way than configuration: a hand-made client and a registered-like user.
                using var scope = first.Services.CreateScope();
                await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
                {
                    ClientId = "handmade", ClientType = OpenIddictConstants.ClientTypes.Public,
                });
                Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>()
                    .CreateAsync(new ApplicationUser { UserName = "dave", Email = "dave@example.com", EmailConfirmed = true }, "harbor lantern violet 88")).Succeeded);
            }

            await using var second = new ServerFactory { Folder = folder };
            using var http = second.CreateClient();
            var refused = await MachineTokenAsync(http);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("invalid_client", (await OAuth.JsonAsync(refused)).GetProperty("error").GetString());

            using var browser = second.CreateBrowser();
            Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(browser, "carol", CarolPassword, "/")).StatusCode);

            using var check = second.Services.CreateScope();
            Assert.Null(await check.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>().FindByNameAsync("extra-scope"));
            Assert.NotNull(await check.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync("handmade"));
            Assert.NotNull(await check.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync("dave"));
            Assert.NotNull(await check.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(OAuth.Machine));
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    private static Task<HttpResponseMessage> MachineTokenAsync(HttpClient client) =>
        OAuth.TokenAsync(client, Grants.ClientCredentials(), ("extra", ExtraSecret));
}
