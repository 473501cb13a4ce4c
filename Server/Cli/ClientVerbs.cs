using System.CommandLine;
using IdentityServer.Admin.Clients;

namespace IdentityServer.Cli;

/// <summary><c>clients list|show|add|remove|rotate-secret</c>, through the admin API's own service (audited; configured clients refused).</summary>
internal static class ClientVerbs
{
    public static Command Create(CliHost host)
    {
        var clients = new Command("clients", "List, show, add and remove clients; rotate a client's secret.");
        var query = new Option<string?>("--query") { Description = "Only clients whose id or display name contains this." };
        var list = new Command("list", "List the clients.") { query };
        list.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            var service = scope.ServiceProvider.GetRequiredService<AdminClients>();
            var all = await Pages.AllAsync((page, c) => service.ListAsync(page with { Query = parsed.GetValue(query) }, c), ct);
            return CliOutput.Print(parsed, all, items => CliOutput.Table(items.Select(c => new[] { c.ClientId, c.Type, c.ManagedBy, c.DisplayName })));
        });

        var id = new Argument<string>("client-id") { Description = "The client's id." };
        var show = new Command("show", "Show one client.") { id };
        show.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            var clientId = parsed.GetRequiredValue(id);
            var client = await scope.ServiceProvider.GetRequiredService<AdminClients>().FindAsync(clientId, ct) ?? throw AdminOutcome.NotFound(What(clientId));
            return CliOutput.Print(parsed, client, Describe);
        });

        var remove = new Command("remove", "Delete a client, with its authorizations and tokens.") { id };
        remove.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            var clientId = parsed.GetRequiredValue(id);
            var removed = AdminOutcome.Value(await scope.ServiceProvider.GetRequiredService<AdminClients>().DeleteAsync(clientId, CliHost.Actor, ct), What(clientId));
            return CliOutput.Print(parsed, removed, c => [$"Removed client '{c.ClientId}'."]);
        });

        var rotate = new Command("rotate-secret", "Give a confidential client a new secret (shown once); the old one stops working at once.") { id };
        rotate.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            var clientId = parsed.GetRequiredValue(id);
            var rotated = AdminOutcome.Value(await scope.ServiceProvider.GetRequiredService<AdminClients>().RotateSecretAsync(clientId, CliHost.Actor, ct), What(clientId));
            return CliOutput.Print(parsed, rotated, r => [$"New secret for '{r.Client.ClientId}' (shown once, stored hashed):", r.ClientSecret!]);
        });

        clients.Add(list);
        clients.Add(show);
        clients.Add(ClientAdd.Create(host, id));
        clients.Add(remove);
        clients.Add(rotate);
        return clients;
    }

    public static string What(string clientId) => $"client with the id '{clientId}'";

    public static IEnumerable<string> Describe(ClientView c) =>
    [
        $"Client id:      {c.ClientId}",
        $"Display name:   {c.DisplayName ?? "-"}",
        $"Type:           {c.Type}{(c.HasSecret ? " (has a secret)" : "")}",
        $"Managed by:     {c.ManagedBy}",
        $"First party:    {(c.FirstParty ? "yes" : "no")}",
        $"Introspection:  {(c.AllowIntrospection ? "yes" : "no")}",
        $"Grant types:    {Join(c.GrantTypes)}",
        $"Scopes:         {Join(c.Scopes)}",
        $"Redirect URIs:  {Join(c.RedirectUris)}",
        $"Post-logout:    {Join(c.PostLogoutRedirectUris)}",
    ];

    private static string Join(IReadOnlyList<string> values) => values.Count == 0 ? "-" : string.Join(' ', values);
}
