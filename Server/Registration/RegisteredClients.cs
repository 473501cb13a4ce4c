using System.Globalization;
using IdentityServer.Oidc;
using IdentityServer.Seeding;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Registration;

/// <summary>Registered clients as OpenIddict applications: created, found by their registration access token, described, deleted.</summary>
internal sealed class RegisteredClients(IOpenIddictApplicationManager applications, IOptions<SeedOptions> declared, TimeProvider time)
{
    /// <summary>Registers the client; returns its information with the registration access token, which is kept only as a hash.</summary>
    public async Task<ClientInformation> RegisterAsync(ClientMetadata metadata, CancellationToken cancellationToken)
    {
        // 144 random bits: unguessable, so a client id says nothing about other registrations.
        var clientId = SecretHash.NewValue(18);
        var token = SecretHash.NewValue();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            DisplayName = metadata.ClientName ?? clientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,

            // Nobody vouched for a registered client: the person sees what it asks for, and where it leads, every time.
            ConsentType = ConsentTypes.Systematic,
        };
        descriptor.RedirectUris.UnionWith(metadata.RedirectUris.Select(u => new Uri(u, UriKind.Absolute)));
        descriptor.Permissions.UnionWith([
            .. SelfDescribedClients.CodeFlowPermissions,
            .. metadata.GrantTypes.Select(g => Permissions.Prefixes.GrantType + g),
            .. metadata.Scopes.Where(s => s != Scopes.OpenId).Select(s => Permissions.Prefixes.Scope + s),
        ]);
        SelfDescribedClients.OpenResources(descriptor, declared.Value);
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        descriptor.Settings[ClientSettings.SelfDescribed] = ClientSettings.FromRegistration;
        descriptor.Settings[RegistrationSettings.TokenHash] = SecretHash.Of(token);
        descriptor.Settings[RegistrationSettings.IssuedAt] = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        descriptor.Settings[RegistrationSettings.Scope] = string.Join(' ', metadata.Scopes);
        Store(descriptor, RegistrationSettings.ClientUri, metadata.ClientUri);
        Store(descriptor, RegistrationSettings.LogoUri, metadata.LogoUri);
        await applications.CreateAsync(descriptor, cancellationToken);
        return Describe(descriptor) with { RegistrationAccessToken = token };
    }

    /// <summary>
    /// The registered client <paramref name="clientId"/> names, when <paramref name="token"/> is its registration access
    /// token; otherwise null — for an unknown client, a configured one (no token hash) and a wrong token alike.
    /// </summary>
    public async Task<object?> FindAsync(string clientId, string token, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return null;
        }

        var settings = await applications.GetSettingsAsync(application, cancellationToken);
        return settings.TryGetValue(RegistrationSettings.TokenHash, out var hash) && SecretHash.Matches(token, hash) ? application : null;
    }

    public async Task<ClientInformation> DescribeAsync(object application, CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);
        return Describe(descriptor);
    }

    /// <summary>Deletes the client; OpenIddict deletes its authorizations and tokens with it.</summary>
    public ValueTask DeleteAsync(object application, CancellationToken cancellationToken) => applications.DeleteAsync(application, cancellationToken);

    private static ClientInformation Describe(OpenIddictApplicationDescriptor descriptor)
    {
        var settings = descriptor.Settings;
        return new ClientInformation
        {
            ClientId = descriptor.ClientId!,
            ClientIdIssuedAt = long.Parse(settings[RegistrationSettings.IssuedAt], CultureInfo.InvariantCulture),
            ClientName = descriptor.DisplayName == descriptor.ClientId ? null : descriptor.DisplayName,
            ClientUri = settings.GetValueOrDefault(RegistrationSettings.ClientUri),
            LogoUri = settings.GetValueOrDefault(RegistrationSettings.LogoUri),
            RedirectUris = [.. descriptor.RedirectUris.Select(u => u.OriginalString).Order(StringComparer.Ordinal)],
            GrantTypes = [.. descriptor.Permissions.Where(p => p.StartsWith(Permissions.Prefixes.GrantType, StringComparison.Ordinal))
                .Select(p => p[Permissions.Prefixes.GrantType.Length..]).Order(StringComparer.Ordinal)],
            Scope = settings[RegistrationSettings.Scope],
        };
    }

    private static void Store(OpenIddictApplicationDescriptor descriptor, string key, string? value)
    {
        if (value is not null)
        {
            descriptor.Settings[key] = value;
        }
    }
}
