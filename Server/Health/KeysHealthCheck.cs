using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace IdentityServer.Health;

/// <summary>Healthy while the key that signs (the first credential) has its private part.</summary>
internal sealed class KeysHealthCheck(IOptionsMonitor<OpenIddictServerOptions> server) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(server.CurrentValue.SigningCredentials.FirstOrDefault()?.Key is AsymmetricSecurityKey { PrivateKeyStatus: not PrivateKeyStatus.DoesNotExist }
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The signing key has no private part."));
}
