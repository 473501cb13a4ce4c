using System.Net;
using Duende.IdentityModel.Client;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IdentityServer.Tests.Endpoints.Device;

public sealed class DeviceAttackTests(ITestOutputHelper output)
{
    private const string Tv = "tv";

    private static async Task<DeviceAuthorizationResponse> StartAsync(HttpClient device)
    {
        var started = await device.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = "http://localhost/connect/device", ClientId = Tv, Scope = "openid profile offline_access api",
        });
        Assert.False(started.IsError, started.Error);
        return started;
    }

    private static Task<TokenResponse> PollAsync(HttpClient device, string deviceCode) =>
        device.RequestDeviceTokenAsync(new DeviceTokenRequest { Address = "http://localhost/connect/token", ClientId = Tv, DeviceCode = deviceCode });

    /// <summary>The per-address cap on user codes matches the path "/device" exactly; "/device/" reaches the same page.</summary>
    [Fact]
    public async Task ThePerAddressUserCodeCapCannotBeSidesteppedWithATrailingSlash()
    {
        await using var own = new ServerFactory { RaiseRateLimits = false };
        own.Settings["IdentityServer:RateLimits:UserCodeAttemptsPerMinutePerAddress"] = "3";
        own.Settings["IdentityServer:RateLimits:FailedUserCodesPerMinute"] = "1000";
        using var device = own.CreateClient();
        using var person = own.CreateBrowser();
        await People.SignInAsync(person, "alice", ServerFactory.AlicePassword, "/");
        var started = await StartAsync(device);

        var statuses = new List<HttpStatusCode>();
        for (var guess = 0; guess < 8; guess++)
        {
            statuses.Add((await person.GetAsync($"/device/?user_code=33333333{guess}")).StatusCode);
        }

        var real = await person.GetAsync("/device/?user_code=" + Uri.EscapeDataString(started.UserCode!));
        var body = await real.Content.ReadAsStringAsync();
        output.WriteLine(string.Join(",", statuses) + " real=" + real.StatusCode + " shows app=" + body.Contains("Demo TV app", StringComparison.Ordinal));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    /// <summary>Polls with made-up device codes (no client authentication needed for a public client) each leave a 30-minute cache entry.</summary>
    [Fact]
    public async Task PollsWithMadeUpDeviceCodesDoNotGrowTheCache()
    {
        await using var own = new ServerFactory();
        using var device = own.CreateClient();
        var cache = (MemoryCache)own.Services.GetRequiredService<IMemoryCache>();
        await PollAsync(device, "warm-up");
        var before = cache.Count;
        for (var i = 0; i < 200; i++)
        {
            var r = await PollAsync(device, Guid.NewGuid().ToString("N"));
            if (i == 0) output.WriteLine($"first made-up poll: {r.Error} {r.ErrorDescription}");
        }

        output.WriteLine($"cache entries {before} -> {cache.Count}");
        Assert.True(cache.Count - before < 20, $"cache grew by {cache.Count - before}");
    }

    [Fact]
    public async Task AVariantOfASlowedDownDeviceCodeIsNotThatCode()
    {
        await using var own = new ServerFactory();
        using var device = own.CreateClient();
        var started = await StartAsync(device);
        output.WriteLine("device code length " + started.DeviceCode!.Length + " sample " + started.DeviceCode[..Math.Min(20, started.DeviceCode.Length)]);
        Assert.Equal("authorization_pending", (await PollAsync(device, started.DeviceCode)).Error);
        Assert.Equal("slow_down", (await PollAsync(device, started.DeviceCode)).Error);
        foreach (var variant in new[] { started.DeviceCode + " ", " " + started.DeviceCode, started.DeviceCode + "=", started.DeviceCode + "\n", started.DeviceCode.ToUpperInvariant() })
        {
            var r = await PollAsync(device, variant);
            output.WriteLine($"[{Uri.EscapeDataString(variant[^2..])}] {r.Error} {r.ErrorDescription}");
            Assert.NotEqual("authorization_pending", r.Error);
        }
    }
}
