using System.Text.Json;
using IdentityServer.Keys;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Keys;

/// <summary>What the tests read and do to a server's signing keys.</summary>
internal static class Rotation
{
    public static async Task<string> MachineTokenAsync(ServerFactory server)
    {
        using var http = server.CreateClient();
        return (await OAuth.JsonAsync(await Grants.MachineTokenAsync(http))).GetProperty("access_token").GetString()!;
    }

    public static string Kid(string jwt) => OAuth.JwtHeader(jwt)["kid"].GetString()!;

    public static async Task<List<string>> JwksKidsAsync(ServerFactory server)
    {
        using var http = server.CreateClient();
        using var jwks = JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks"));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }

    /// <summary>One run of the rotation job, as Quartz would fire it; null when another instance held the lease.</summary>
    public static Task<IReadOnlyList<KeyChange>?> RunJobAsync(ServerFactory server) =>
        server.Services.GetRequiredService<KeyRotationJob>().RunAsync(CancellationToken.None);

    public static async Task<IReadOnlyList<KeyChange>> RotateAsync(ServerFactory server, bool immediately)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var changes = await scope.ServiceProvider.GetRequiredService<KeyRotation>().RotateAsync(immediately, CancellationToken.None);
        await server.Services.GetRequiredService<KeyRing>().RefreshAsync(CancellationToken.None);
        return changes;
    }
}
