using IdentityServer.Oidc;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Health;

internal sealed class KeysHealthCheck(SigningKeys keys) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(keys.Rsa.PrivateKeyStatus != PrivateKeyStatus.DoesNotExist
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The signing key has no private part."));
}
