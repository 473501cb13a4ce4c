using Microsoft.Extensions.Options;

namespace IdentityServer.Configuration;

/// <summary>Checks the whole section at start-up; every message names the configuration key it is about.</summary>
internal sealed class ServerOptionsValidator(IHostEnvironment environment) : IValidateOptions<ServerOptions>
{
    private const string S = ServerOptions.Section;
    private static readonly string[] KnownGrants = ["authorization_code", "refresh_token", "client_credentials"];
    private static readonly string[] BuiltInScopes = ["openid", "profile", "email", "roles", "offline_access"];

    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var errors = new List<string>();
        ValidateServer(options, errors);
        var scopeNames = ValidateScopes(options, errors);
        ValidateClients(options, scopeNames, errors);
        ValidateUsers(options, errors);
        ValidateExternal(options.External, errors);
        ValidateEmail(options.Accounts.Email, errors);
        RateLimitValidation.Validate(options.RateLimits, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void ValidateServer(ServerOptions o, List<string> errors)
    {
        if (o.Issuer is { } issuer && (!issuer.IsAbsoluteUri || issuer.Query.Length > 0 || issuer.Fragment.Length > 0 || issuer.Scheme is not ("http" or "https")))
        {
            errors.Add($"{S}:Issuer: '{issuer}' must be an absolute http(s) URI without query or fragment.");
        }
        else if (o.Issuer is null && !environment.IsDevelopment())
        {
            errors.Add($"{S}:Issuer: an explicit issuer URI is required outside Development.");
        }
        else if (o.Issuer is { Scheme: "http" } && o.RequireHttps)
        {
            errors.Add($"{S}:Issuer: '{o.Issuer}' is http while {S}:RequireHttps is true.");
        }

        var t = o.Tokens;
        Positive(t.AccessTokenLifetime, $"{S}:Tokens:AccessTokenLifetime", errors);
        Positive(t.IdentityTokenLifetime, $"{S}:Tokens:IdentityTokenLifetime", errors);
        Positive(t.RefreshTokenLifetime, $"{S}:Tokens:RefreshTokenLifetime", errors);
        Positive(t.AuthorizationCodeLifetime, $"{S}:Tokens:AuthorizationCodeLifetime", errors);
        if (t.AuthorizationCodeLifetime > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{S}:Tokens:AuthorizationCodeLifetime: '{t.AuthorizationCodeLifetime}' is longer than the 5 minutes allowed.");
        }

        if (t.RefreshTokenReuseLeeway < TimeSpan.Zero || t.RefreshTokenReuseLeeway > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{S}:Tokens:RefreshTokenReuseLeeway: '{t.RefreshTokenReuseLeeway}' must be between 0 and 00:01:00.");
        }

        if (o.Keys.AccessTokenSigningAlgorithm is not ("RS256" or "ES256"))
        {
            errors.Add($"{S}:Keys:AccessTokenSigningAlgorithm: '{o.Keys.AccessTokenSigningAlgorithm}' is not supported; use RS256 or ES256.");
        }

        if (!o.Keys.GenerateMissing && !environment.IsDevelopment())
        {
            RequireFile(o.Keys.RsaSigningKeyFile, $"{S}:Keys:RsaSigningKeyFile", errors);
            RequireFile(o.Keys.EncryptionKeyFile, $"{S}:Keys:EncryptionKeyFile", errors);
            if (o.Keys.AccessTokenSigningAlgorithm == "ES256")
            {
                RequireFile(o.Keys.EcdsaSigningKeyFile, $"{S}:Keys:EcdsaSigningKeyFile", errors);
            }
        }

        if (o.Database.Provider is not ("Sqlite" or "Postgres"))
        {
            errors.Add($"{S}:Database:Provider: '{o.Database.Provider}' is not supported; use Sqlite or Postgres.");
        }

        for (var i = 0; i < o.KnownProxies.Count; i++)
        {
            if (!System.Net.IPAddress.TryParse(o.KnownProxies[i], out _))
            {
                errors.Add($"{S}:KnownProxies:{i}: '{o.KnownProxies[i]}' is not an IP address.");
            }
        }

        if (string.IsNullOrWhiteSpace(o.Database.ConnectionString))
        {
            errors.Add($"{S}:Database:ConnectionString: a connection string is required.");
        }
    }

    private static HashSet<string> ValidateScopes(ServerOptions o, List<string> errors)
    {
        var names = new HashSet<string>(BuiltInScopes, StringComparer.Ordinal);
        for (var i = 0; i < o.Scopes.Count; i++)
        {
            var scope = o.Scopes[i];
            var key = $"{S}:Scopes:{i}:Name";
            if (string.IsNullOrWhiteSpace(scope.Name) || scope.Name.Any(c => c <= ' ' || c == '"' || c == '\\'))
            {
                errors.Add($"{key}: '{scope.Name}' is not a valid scope name (no spaces, quotes or backslashes).");
            }
            else if (!names.Add(scope.Name))
            {
                errors.Add($"{key}: the scope '{scope.Name}' is declared twice or shadows a built-in scope.");
            }
        }

        return names;
    }

    private static void ValidateClients(ServerOptions o, HashSet<string> scopes, List<string> errors)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.Clients.Count; i++)
        {
            var c = o.Clients[i];
            var key = $"{S}:Clients:{i}";
            if (string.IsNullOrWhiteSpace(c.ClientId))
            {
                errors.Add($"{key}:ClientId: a client id is required.");
            }
            else if (!ids.Add(c.ClientId))
            {
                errors.Add($"{key}:ClientId: '{c.ClientId}' is declared twice.");
            }

            var isPublic = c.Type == "public";
            if (c.Type is not ("public" or "confidential"))
            {
                errors.Add($"{key}:Type: '{c.Type}' must be 'public' or 'confidential'.");
            }
            else if (isPublic && !string.IsNullOrEmpty(c.Secret))
            {
                errors.Add($"{key}:Secret: a public client cannot have a secret.");
            }
            else if (!isPublic && (c.Secret is null || c.Secret.Length < 16))
            {
                errors.Add($"{key}:Secret: a confidential client needs a secret of at least 16 characters.");
            }

            if (c.GrantTypes.Count == 0)
            {
                errors.Add($"{key}:GrantTypes: at least one grant type is required ({string.Join(", ", KnownGrants)}).");
            }

            for (var g = 0; g < c.GrantTypes.Count; g++)
            {
                if (!KnownGrants.Contains(c.GrantTypes[g]))
                {
                    errors.Add($"{key}:GrantTypes:{g}: '{c.GrantTypes[g]}' is not supported; use {string.Join(", ", KnownGrants)}.");
                }
                else if (isPublic && c.GrantTypes[g] == "client_credentials")
                {
                    errors.Add($"{key}:GrantTypes:{g}: a public client cannot use client_credentials.");
                }
            }

            var usesCode = c.GrantTypes.Contains("authorization_code");
            if (usesCode && c.RedirectUris.Count == 0)
            {
                errors.Add($"{key}:RedirectUris: a client using authorization_code needs at least one redirect URI.");
            }

            ValidateUris(c.RedirectUris, $"{key}:RedirectUris", errors);
            ValidateUris(c.PostLogoutRedirectUris, $"{key}:PostLogoutRedirectUris", errors);
            for (var s = 0; s < c.Scopes.Count; s++)
            {
                if (!scopes.Contains(c.Scopes[s]))
                {
                    errors.Add($"{key}:Scopes:{s}: the scope '{c.Scopes[s]}' is not declared under {S}:Scopes.");
                }
            }

            if (c.AccessTokenLifetime is { } at)
            {
                Positive(at, $"{key}:AccessTokenLifetime", errors);
            }

            if (c.RefreshTokenLifetime is { } rt)
            {
                Positive(rt, $"{key}:RefreshTokenLifetime", errors);
            }
        }
    }

    private static void ValidateUsers(ServerOptions o, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < o.Users.Count; i++)
        {
            var u = o.Users[i];
            var key = $"{S}:Users:{i}";
            if (string.IsNullOrWhiteSpace(u.UserName))
            {
                errors.Add($"{key}:UserName: a user name is required.");
            }
            else if (!names.Add(u.UserName))
            {
                errors.Add($"{key}:UserName: '{u.UserName}' is declared twice.");
            }

            if (string.IsNullOrEmpty(u.Password))
            {
                errors.Add($"{key}:Password: a password is required for a declared user.");
            }

            if (u.Email is { } email && !email.Contains('@', StringComparison.Ordinal))
            {
                errors.Add($"{key}:Email: '{email}' is not an email address.");
            }
        }
    }

    private void ValidateEmail(EmailOptions email, List<string> errors)
    {
        // A folder of live reset links is a development convenience, never the silent fallback of a real server.
        if (string.IsNullOrWhiteSpace(email.SmtpHost) && string.IsNullOrWhiteSpace(email.PickupDirectory) && !environment.IsDevelopment())
        {
            errors.Add($"{S}:Accounts:Email:SmtpHost: account mail (confirmation, password reset) needs an SMTP host outside Development, or {S}:Accounts:Email:PickupDirectory to write each message to a file.");
        }

        if (email.QueueCapacity < 1 || email.MaxAttempts < 1 || email.RetryDelay < TimeSpan.Zero)
        {
            errors.Add($"{S}:Accounts:Email: QueueCapacity and MaxAttempts must be at least 1 and RetryDelay not negative.");
        }
    }

    private static void ValidateExternal(ExternalOptions external, List<string> errors)
    {
        foreach (var (name, preset) in new[] { ("GitHub", external.GitHub), ("Google", external.Google) })
        {
            if (preset is null)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(preset.ClientId))
            {
                errors.Add($"{S}:External:{name}:ClientId: the client id registered with {name} is required.");
            }

            if (string.IsNullOrWhiteSpace(preset.ClientSecret))
            {
                errors.Add($"{S}:External:{name}:ClientSecret: the client secret registered with {name} is required (set it from an environment variable, not in a file).");
            }
        }

        var names = new HashSet<string>(["github", "google"], StringComparer.Ordinal);
        for (var i = 0; i < external.Providers.Count; i++)
        {
            var provider = external.Providers[i];
            var key = $"{S}:External:Providers:{i}";
            if (provider.Name.Length is 0 or > 40 || !provider.Name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                errors.Add($"{key}:Name: '{provider.Name}' must be 1-40 lowercase letters, digits or dashes.");
            }
            else if (!names.Add(provider.Name))
            {
                errors.Add($"{key}:Name: '{provider.Name}' is used twice.");
            }

            if (provider.Issuer is not { IsAbsoluteUri: true } || provider.Issuer.Scheme is not ("http" or "https"))
            {
                errors.Add($"{key}:Issuer: an absolute http(s) issuer URL is required.");
            }

            if (string.IsNullOrWhiteSpace(provider.ClientId))
            {
                errors.Add($"{key}:ClientId: a client id is required.");
            }
        }
    }

    private static void ValidateUris(List<string> uris, string key, List<string> errors)
    {
        for (var i = 0; i < uris.Count; i++)
        {
            if (!Uri.TryCreate(uris[i], UriKind.Absolute, out var uri) || uri.Fragment.Length > 0)
            {
                errors.Add($"{key}:{i}: '{uris[i]}' must be an absolute URI without a fragment.");
            }
        }
    }

    private static void Positive(TimeSpan value, string key, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key}: '{value}' must be a positive duration (for example 00:15:00).");
        }
    }

    private static void RequireFile(string? path, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{key}: a key file is required outside Development (or set {S}:Keys:GenerateMissing).");
        }
    }
}
