using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Accounts;

/// <summary>
/// Sets Identity's PBKDF2 work factor from <see cref="AccountOptions.PasswordHashing"/>. Identity's V3 hash
/// format stores its iteration count, so a hash made under Fast still verifies under Standard, and is made
/// again with the full count at that person's next sign-in (Identity rehashes a weaker hash it verifies).
/// </summary>
internal static class PasswordHashingProfiles
{
    public const int FastIterations = 1;

    public static IServiceCollection AddPasswordHashing(this IServiceCollection services, PasswordHashing hashing)
    {
        if (hashing == PasswordHashing.Fast)
        {
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = FastIterations);
        }

        return services;
    }
}
