using OpenIddict.Client;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.External;

internal sealed record ExternalProvider(string Name, string DisplayName);

/// <summary>
/// OpenIddict's client, for sign-in through GitHub, Google or any OpenID Connect provider. State, nonce
/// and PKCE toward the provider are OpenIddict's; callbacks are exact (callback/login/{name}).
/// </summary>
internal static class ExternalSetup
{
    public static IServiceCollection AddExternalSignIn(this IServiceCollection services, ExternalOptions external, bool requireHttps)
    {
        var providers = new List<ExternalProvider>();
        if (external.GitHub is not null)
        {
            providers.Add(new ExternalProvider("github", "GitHub"));
            GitHubEmails.AddGitHubEmails(services);
        }

        if (external.Google is not null)
        {
            providers.Add(new ExternalProvider("google", "Google"));
        }

        providers.AddRange(external.Providers.Select(p => new ExternalProvider(p.Name, p.DisplayName ?? p.Name)));
        services.AddSingleton<IReadOnlyList<ExternalProvider>>(providers);
        services.AddScoped<ExternalAccounts>();
        if (providers.Count == 0)
        {
            return services;
        }

        services.AddOpenIddict().AddClient(client =>
        {
            client.AllowAuthorizationCodeFlow();
            client.UseDataProtection();
            client.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            var aspNetCore = client.UseAspNetCore().EnableRedirectionEndpointPassthrough().EnableErrorPassthrough();
            if (!requireHttps)
            {
                // Plain-http development: the state cookie cannot be SameSite=None (that needs Secure).
                aspNetCore.DisableTransportSecurityRequirement();
                aspNetCore.Configure(o =>
                {
                    o.CookieBuilder.SameSite = SameSiteMode.Lax;
                    o.CookieBuilder.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                });
            }

            client.AddEventHandler(UnreachableProviderPage.Descriptor);
            client.UseSystemNetHttp();
            var web = client.UseWebProviders();
            if (external.GitHub is { } github)
            {
                web.AddGitHub(o => o.SetProviderName("github").SetClientId(github.ClientId).SetClientSecret(github.ClientSecret!).SetRedirectUri("callback/login/github").AddScopes("user:email"));
            }

            if (external.Google is { } google)
            {
                web.AddGoogle(o => o.SetProviderName("google").SetClientId(google.ClientId).SetClientSecret(google.ClientSecret!).SetRedirectUri("callback/login/google").AddScopes(Scopes.Email, Scopes.Profile));
            }

            foreach (var provider in external.Providers)
            {
                var registration = new OpenIddictClientRegistration
                {
                    Issuer = provider.Issuer,
                    ProviderName = provider.Name,
                    ProviderDisplayName = provider.DisplayName ?? provider.Name,
                    ClientId = provider.ClientId,
                    ClientSecret = provider.ClientSecret,
                    RedirectUri = new Uri($"callback/login/{provider.Name}", UriKind.Relative),
                };
                registration.Scopes.UnionWith(provider.Scopes);
                client.AddRegistration(registration);
            }
        });
        return services;
    }
}
