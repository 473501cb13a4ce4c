using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Passkeys;

internal static class PasskeysSetup
{
    /// <summary>Identity's passkey handler, pointed at the configured relying party; the account pages add the ceremonies.</summary>
    public static IServiceCollection AddPasskeys(this IServiceCollection services, PasskeyOptions passkeys, Uri? issuer)
    {
        var party = new PasskeyRelyingParty(passkeys, issuer is { IsAbsoluteUri: true } ? issuer : null);
        services.Configure<IdentityPasskeyOptions>(party.Configure);
        services.AddScoped<PasskeyChallenges>();
        services.AddScoped<UserPasskeys>();
        return services;
    }
}
