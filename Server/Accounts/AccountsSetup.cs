using IdentityServer.Accounts.Email;
using IdentityServer.Data;
using IdentityServer.Sessions;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Server;

namespace IdentityServer.Accounts;

internal static class AccountsSetup
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, AccountOptions accounts, EmailOptions email, SessionLifetimeOptions sessions, bool https)
    {
        services.AddIdentity<ApplicationUser, IdentityRole>(o =>
            {
                // NIST SP 800-63B: length and a check against guessable passwords, no composition rules.
                o.Password.RequiredLength = accounts.MinimumPasswordLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = accounts.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = accounts.LockoutDuration;
                o.SignIn.RequireConfirmedEmail = accounts.RequireConfirmedEmail;
                // An email is optional (an account made through a provider that verified no address has none),
                // and unique when present: AsciiAccountNames checks it, the unique NormalizedEmail index backs it.
                o.User.RequireUniqueEmail = false;

                // Schema version 3 adds AspNetUserPasskeys.
                o.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            })
            .AddEntityFrameworkStores<ApplicationDbContext>()
            .AddUserStore<ProtectedUserStore>()
            .AddUserManager<AuditedUserManager>()
            .AddSignInManager<AccountSignInManager>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<PasswordPolicy>()
            .AddUserValidator<AsciiAccountNames>();
        services.AddPasswordHashing(accounts.PasswordHashing);
        services.AddSingleton<ILookupNormalizer, AsciiLookupNormalizer>();
        services.AddSingleton<UnknownUserPasswordCheck>();

        services.AddEmail(email);

        // OpenID Connect's prompt=create (registration from an app's sign-in) exists only while people may register;
        // OpenIddict refuses a prompt value it does not know, and discovery lists the ones it does.
        if (accounts.AllowRegistration)
        {
            services.Configure<OpenIddictServerOptions>(o => o.PromptValues.Add("create"));
        }

        services.ConfigureApplicationCookie(o =>
        {
            // Served over HTTPS the cookie gets the __Host- prefix: Secure, path /, no Domain.
            o.Cookie.Name = https ? "__Host-idsrv.session" : "idsrv.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/Login";
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = sessions.AbsoluteTimeout;
        });
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o =>
        {
            o.Cookie.Name = https ? "__Host-idsrv.2fa" : "idsrv.2fa";
            o.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = https ? "__Host-idsrv.af" : "idsrv.af";
            o.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
        });

        // Sessions are revoked in the database; re-check the security stamp often so other changes land quickly too.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        return services;
    }
}
