using System.Security.Cryptography;
using IdentityServer.Audit;
using IdentityServer.Data;
using IdentityServer.Oidc;
using IdentityServer.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Admin.Clients;

/// <summary>
/// Lists, reads, creates, updates and deletes clients, and rotates their secrets. Every write is audited with its
/// actor and the non-secret fields before and after. Clients declared in configuration are read-only here.
/// </summary>
internal sealed class AdminClients(
    IOpenIddictApplicationManager applications,
    ApplicationDbContext db,
    ClientRules rules,
    AuditTrail audit)
{
    /// <summary>Where configuration declares clients: what a 409 tells the caller to edit.</summary>
    public const string Setting = "IdentityServer:Clients";

    private const string Resource = "client";

    public async Task<Page<ClientView>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var rows = db.Set<OpenIddictEntityFrameworkCoreApplication>().AsNoTracking();
        if (page.Query is { } q)
        {
            rows = rows.Where(a => a.ClientId!.Contains(q) || (a.DisplayName != null && a.DisplayName.Contains(q)));
        }

        var total = await rows.CountAsync(ct);
        var found = await rows.OrderBy(a => a.ClientId).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var configured = await ConfiguredAsync(found.Select(a => a.ClientId!), ct);
        var items = new List<ClientView>(found.Count);
        foreach (var application in found)
        {
            items.Add(await ViewAsync(application, configured.Contains(application.ClientId!), ct));
        }

        return new Page<ClientView>(items, page.Page, page.PageSize, total);
    }

    public async Task<ClientView?> FindAsync(string clientId, CancellationToken ct) =>
        await applications.FindByClientIdAsync(clientId, ct) is { } application
            ? await ViewAsync(application, await IsConfiguredAsync(clientId, ct), ct)
            : null;

    public async Task<AdminResult<ClientCreated>> CreateAsync(ClientInput input, AdminActor actor, CancellationToken ct)
    {
        if (await rules.CheckAsync(input, creating: true, ct) is { Count: > 0 } errors)
        {
            return new AdminResult<ClientCreated>.Invalid(errors);
        }

        var clientId = input.ClientId!;
        if (await applications.FindByClientIdAsync(clientId, ct) is not null)
        {
            return new AdminResult<ClientCreated>.Conflict($"A client with the id '{clientId}' already exists.");
        }

        var declared = ClientRules.ToDeclared(clientId, input);
        var secret = declared.Type == ClientType.Confidential ? NewSecret() : null;
        var descriptor = new OpenIddictApplicationDescriptor { ClientSecret = secret };
        ClientDescriptors.Apply(declared, descriptor);
        var application = await applications.CreateAsync(descriptor, ct);
        var view = await ViewAsync(application, configured: false, ct);
        await RecordAsync("created", clientId, actor, before: null, after: view, ct);
        return new AdminResult<ClientCreated>.Done(new ClientCreated(view, secret));
    }

    public async Task<AdminResult<ClientView>> UpdateAsync(string clientId, ClientInput input, AdminActor actor, CancellationToken ct)
    {
        if (await WritableAsync<ClientView>(clientId, ct) is { } refusal)
        {
            return refusal.Result;
        }

        if (await rules.CheckAsync(input, creating: false, ct) is { Count: > 0 } errors)
        {
            return new AdminResult<ClientView>.Invalid(errors);
        }

        var application = (await applications.FindByClientIdAsync(clientId, ct))!;
        var before = await ViewAsync(application, configured: false, ct);
        var declared = ClientRules.ToDeclared(clientId, input);
        if (declared.Type == ClientType.Confidential && !before.HasSecret)
        {
            return AdminResult<ClientView>.Invalidate("type", "a public client cannot become confidential here: create a new client, which gets a secret.");
        }

        // The populated descriptor carries the stored secret hash: left as is, it is neither re-hashed nor changed.
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        ClientDescriptors.Apply(declared, descriptor);
        if (declared.Type == ClientType.Public)
        {
            descriptor.ClientSecret = null;
        }

        await applications.UpdateAsync(application, descriptor, ct);
        var after = await ViewAsync(application, configured: false, ct);
        await RecordAsync("updated", clientId, actor, before, after, ct);
        return new AdminResult<ClientView>.Done(after);
    }

    /// <summary>Replaces the secret: the old one stops working at once; the new one is in the answer only.</summary>
    public async Task<AdminResult<ClientCreated>> RotateSecretAsync(string clientId, AdminActor actor, CancellationToken ct)
    {
        if (await WritableAsync<ClientCreated>(clientId, ct) is { } refusal)
        {
            return refusal.Result;
        }

        var application = (await applications.FindByClientIdAsync(clientId, ct))!;
        if (!await applications.HasClientTypeAsync(application, ClientTypes.Confidential, ct))
        {
            return new AdminResult<ClientCreated>.Conflict($"'{clientId}' is a public client: it has no secret to rotate.");
        }

        var secret = NewSecret();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, ct);
        descriptor.ClientSecret = secret;
        await applications.UpdateAsync(application, descriptor, ct);
        var view = await ViewAsync(application, configured: false, ct);
        await RecordAsync("secret_rotated", clientId, actor, before: null, after: null, ct);
        return new AdminResult<ClientCreated>.Done(new ClientCreated(view, secret));
    }

    /// <summary>Deletes the client, and with it (OpenIddict's cascade) its authorizations and tokens.</summary>
    public async Task<AdminResult<ClientView>> DeleteAsync(string clientId, AdminActor actor, CancellationToken ct)
    {
        if (await WritableAsync<ClientView>(clientId, ct, allowSelfDescribed: true) is { } refusal)
        {
            return refusal.Result;
        }

        var application = (await applications.FindByClientIdAsync(clientId, ct))!;
        var before = await ViewAsync(application, configured: false, ct);
        await applications.DeleteAsync(application, ct);
        await RecordAsync("deleted", clientId, actor, before, after: null, ct);
        return new AdminResult<ClientView>.Done(before);
    }

    private async Task<Refusal<T>?> WritableAsync<T>(string clientId, CancellationToken ct, bool allowSelfDescribed = false)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return new Refusal<T>(new AdminResult<T>.NotFound());
        }

        if (await IsConfiguredAsync(clientId, ct))
        {
            return new Refusal<T>(new AdminResult<T>.ManagedByConfiguration(Setting));
        }

        if (!allowSelfDescribed && (await applications.GetSettingsAsync(application, ct)).ContainsKey(ClientSettings.SelfDescribed))
        {
            return new Refusal<T>(new AdminResult<T>.Conflict($"'{clientId}' describes itself (a metadata document or dynamic registration): it can only be deleted here."));
        }

        return null;
    }

    private async Task<ClientView> ViewAsync(object application, bool configured, CancellationToken ct)
    {
        var d = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(d, application, ct);
        var grants = d.Permissions.Where(p => p.StartsWith(Permissions.Prefixes.GrantType, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.GrantType.Length..]).Order(StringComparer.Ordinal).ToList();
        var scopes = d.Permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            .Select(p => p[Permissions.Prefixes.Scope.Length..]).Order(StringComparer.Ordinal).ToList();
        var managedBy = configured ? ManagedBy.Configuration : d.Settings.ContainsKey(ClientSettings.SelfDescribed) ? ManagedBy.Client : ManagedBy.Api;
        return new ClientView(d.ClientId!, d.DisplayName, d.ClientType ?? ClientTypes.Public, d.ClientSecret is not null,
            d.ConsentType == ConsentTypes.Implicit, d.Permissions.Contains(Permissions.Endpoints.Introspection), grants, scopes,
            [.. d.RedirectUris.Select(u => u.OriginalString)], [.. d.PostLogoutRedirectUris.Select(u => u.OriginalString)], managedBy);
    }

    private Task<bool> IsConfiguredAsync(string clientId, CancellationToken ct) =>
        db.ConfiguredEntries.AnyAsync(e => e.Kind == ConfiguredEntry.Client && e.Name == clientId, ct);

    private async Task<HashSet<string>> ConfiguredAsync(IEnumerable<string> clientIds, CancellationToken ct)
    {
        var ids = clientIds.ToList();
        return (await db.ConfiguredEntries.Where(e => e.Kind == ConfiguredEntry.Client && ids.Contains(e.Name)).Select(e => e.Name).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
    }

    private Task RecordAsync(string verb, string clientId, AdminActor actor, ClientView? before, ClientView? after, CancellationToken ct) =>
        audit.RecordAsync(new AuditRecord(AuditEventTypes.Admin(Resource, verb))
        {
            ClientId = clientId,
            Actor = actor.Name,
            Details = new { before, after },
        }, ct);

    /// <summary>256 random bits, base64url: as strong as a secret needs to be, and safe in a Basic header.</summary>
    private static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private sealed record Refusal<T>(AdminResult<T> Result);
}
