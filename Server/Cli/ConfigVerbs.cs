using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using IdentityServer.Admin;
using IdentityServer.Admin.Clients;
using IdentityServer.Admin.Scopes;
using IdentityServer.Admin.Users;
using IdentityServer.Keys;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace IdentityServer.Cli;

/// <summary>
/// <c>config export</c>: the database's clients, scopes and users as an appsettings fragment, under the keys
/// configuration declares them with (<c>IdentityServer:Clients</c>, <c>:Scopes</c>, <c>:Users</c>) — never a secret or
/// password. <c>config check</c>: the settings as start-up validates them.
/// </summary>
internal static class ConfigVerbs
{
    private static readonly JsonSerializerOptions Settings = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Command Create(CliHost host)
    {
        var config = new Command("config", "Export the database's clients, scopes and users as configuration; check the settings.");
        var export = new Command("export", "Print the clients, scopes and users as an appsettings.json fragment (no secrets, no passwords).");
        export.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            var services = scope.ServiceProvider;
            var clients = await Pages.AllAsync(services.GetRequiredService<AdminClients>().ListAsync, ct);
            var scopes = await Pages.AllAsync(services.GetRequiredService<AdminScopes>().ListAsync, ct);
            var users = await Pages.AllAsync(services.GetRequiredService<AdminUsers>().SearchAsync, ct);
            var fragment = new
            {
                IdentityServer = new
                {
                    Clients = clients.Where(c => c.ManagedBy != ManagedBy.Client).Select(Client),
                    Scopes = scopes.Select(s => new { s.Name, s.DisplayName, s.Description, Resources = NoneAsNull(s.Resources) }),
                    Users = users.Select(u => new { u.UserName, u.Email, u.Name, u.EmailConfirmed, Roles = NoneAsNull(u.Roles) }),
                },
            };
            Console.Out.WriteLine(CliOutput.Serialize(fragment, Settings));
            return 0;
        });

        var check = new Command("check", "Validate the settings as start-up does; print what is wrong, or \"Configuration is valid.\"");
        check.SetAction(parsed =>
        {
            // The settings themselves were validated while the server was built (a failure never reaches this line);
            // what is left is what start-up validates: the options registered with ValidateOnStart and OpenIddict's own.
            host.Services.GetService<IStartupValidator>()?.Validate();
            // With rotation on, OpenIddict's options need the signing keys from the database, which a check of the
            // settings does not open; with key files they are built (and checked) here.
            if (host.Services.GetService<KeyRing>() is null)
            {
                _ = host.Services.GetRequiredService<IOptions<OpenIddictServerOptions>>().Value;
            }

            return CliOutput.Print(parsed, new { valid = true }, _ => ["Configuration is valid."]);
        });

        config.Add(export);
        config.Add(check);
        return config;
    }

    /// <summary>A client as <c>IdentityServer:Clients</c> declares it: the same names, no secret.</summary>
    private static object Client(ClientView c) => new
    {
        c.ClientId,
        c.DisplayName,
        c.Type,
        FirstParty = c.FirstParty ? true : (bool?)null,
        AllowIntrospection = c.AllowIntrospection ? true : (bool?)null,
        RedirectUris = NoneAsNull(c.RedirectUris),
        PostLogoutRedirectUris = NoneAsNull(c.PostLogoutRedirectUris),
        GrantTypes = NoneAsNull(c.GrantTypes),
        Scopes = NoneAsNull(c.Scopes),
    };

    private static IReadOnlyList<string>? NoneAsNull(IReadOnlyList<string> values) => values.Count == 0 ? null : values;
}
