using System.CommandLine;
using IdentityServer.Admin.Clients;

namespace IdentityServer.Cli;

/// <summary><c>clients add</c>: the fields the admin API's create takes; a confidential client's secret is printed once.</summary>
internal static class ClientAdd
{
    public static Command Create(CliHost host, Argument<string> id)
    {
        var type = new Option<string>("--type") { Description = "public (SPA, mobile: no secret) or confidential (a server: gets a secret).", DefaultValueFactory = _ => "confidential" };
        type.AcceptOnlyFromAmong("public", "confidential");
        var name = new Option<string?>("--name") { Description = "Display name shown on the consent page." };
        var grants = Many("--grant", "A grant type: authorization_code, refresh_token, client_credentials (repeat for several).");
        var scopes = Many("--scope", "A scope the client may ask for (repeat for several).");
        var redirects = Many("--redirect-uri", "A redirect URI (repeat for several).");
        var postLogout = Many("--post-logout-redirect-uri", "A post-logout redirect URI (repeat for several).");
        var firstParty = new Option<bool>("--first-party") { Description = "Skip the consent page for this client." };
        var introspection = new Option<bool>("--introspection") { Description = "Allow the client to call the introspection endpoint." };
        var add = new Command("add", "Create a client.") { id, type, name, grants, scopes, redirects, postLogout, firstParty, introspection };
        add.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            var clientId = parsed.GetRequiredValue(id);
            var input = new ClientInput
            {
                ClientId = clientId,
                Type = parsed.GetValue(type),
                DisplayName = parsed.GetValue(name),
                GrantTypes = parsed.GetValue(grants) ?? [],
                Scopes = parsed.GetValue(scopes) ?? [],
                RedirectUris = parsed.GetValue(redirects) ?? [],
                PostLogoutRedirectUris = parsed.GetValue(postLogout) ?? [],
                FirstParty = parsed.GetValue(firstParty),
                AllowIntrospection = parsed.GetValue(introspection),
            };
            var created = AdminOutcome.Value(await scope.ServiceProvider.GetRequiredService<AdminClients>().CreateAsync(input, CliHost.Actor, ct), ClientVerbs.What(clientId));
            return CliOutput.Print(parsed, created, c => c.ClientSecret is null
                ? [$"Created client '{c.Client.ClientId}'."]
                : [$"Created client '{c.Client.ClientId}'. Its secret (shown once, stored hashed):", c.ClientSecret]);
        });
        return add;
    }

    private static Option<List<string>> Many(string name, string description) => new(name) { Description = description, Arity = ArgumentArity.OneOrMore };
}
