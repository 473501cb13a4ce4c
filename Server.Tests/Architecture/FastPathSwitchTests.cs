using IdentityServer.Oidc.Storage;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Tests.Architecture;

/// <summary><c>IdentityServer:FastPaths</c> decides whose stores serve OpenIddict: ours, or its own.</summary>
public sealed class FastPathSwitchTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public async Task TheSwitchChoosesTheStores(string? setting, bool ours)
    {
        await using var server = new ServerFactory();
        if (setting is not null)
        {
            server.Settings["IdentityServer:FastPaths"] = setting;
        }

        await using var scope = server.Services.CreateAsyncScope();
        var stores = new object[]
        {
            scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication>>(),
            scope.ServiceProvider.GetRequiredService<IOpenIddictTokenStore<OpenIddictEntityFrameworkCoreToken>>(),
            scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationStore<OpenIddictEntityFrameworkCoreAuthorization>>(),
        };
        Assert.All(stores, store => Assert.Equal(ours, store.GetType().Assembly == typeof(ApplicationStore).Assembly));
    }
}
