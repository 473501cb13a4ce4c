using IdentityServer.Admin.Clients;
using IdentityServer.Audit;
using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Admin.Scopes;

/// <summary>
/// Scopes stored in the database (the built-in ones — openid, profile, email, roles, offline_access, admin.* — are
/// not rows and are not listed). Scopes declared in configuration are read-only here. A change to a scope's
/// resources reaches new tokens within half a minute (the token factory keeps the answer that long).
/// </summary>
internal sealed class AdminScopes(IOpenIddictScopeManager scopes, ApplicationDbContext db, AuditTrail audit)
{
    public const string Setting = "IdentityServer:Scopes";

    public async Task<Page<ScopeView>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var rows = db.Set<OpenIddictEntityFrameworkCoreScope>().AsNoTracking();
        if (page.Query is { } q)
        {
            rows = rows.Where(s => s.Name!.Contains(q) || (s.DisplayName != null && s.DisplayName.Contains(q)));
        }

        var total = await rows.CountAsync(ct);
        var found = await rows.OrderBy(s => s.Name).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var names = found.Select(s => s.Name!).ToList();
        var configured = await db.ConfiguredEntries.Where(e => e.Kind == ConfiguredEntry.Scope && names.Contains(e.Name)).Select(e => e.Name).ToListAsync(ct);
        var items = new List<ScopeView>(found.Count);
        foreach (var scope in found)
        {
            items.Add(await ViewAsync(scope, configured.Contains(scope.Name!), ct));
        }

        return new Page<ScopeView>(items, page.Page, page.PageSize, total);
    }

    public async Task<ScopeView?> FindAsync(string name, CancellationToken ct) =>
        await scopes.FindByNameAsync(name, ct) is { } scope ? await ViewAsync(scope, await IsConfiguredAsync(name, ct), ct) : null;

    public async Task<AdminResult<ScopeView>> CreateAsync(ScopeInput input, AdminActor actor, CancellationToken ct)
    {
        if (Check(input, creating: true) is { Count: > 0 } errors)
        {
            return new AdminResult<ScopeView>.Invalid(errors);
        }

        if (ClientRules.BuiltInScopes.Contains(input.Name) || await scopes.FindByNameAsync(input.Name!, ct) is not null)
        {
            return new AdminResult<ScopeView>.Conflict($"The scope '{input.Name}' already exists.");
        }

        var scope = await scopes.CreateAsync(Descriptor(input.Name!, input), ct);
        var view = await ViewAsync(scope, configured: false, ct);
        await RecordAsync("created", actor, null, view, ct);
        return new AdminResult<ScopeView>.Done(view);
    }

    public async Task<AdminResult<ScopeView>> UpdateAsync(string name, ScopeInput input, AdminActor actor, CancellationToken ct)
    {
        if (await scopes.FindByNameAsync(name, ct) is not { } scope)
        {
            return new AdminResult<ScopeView>.NotFound();
        }

        if (await IsConfiguredAsync(name, ct))
        {
            return new AdminResult<ScopeView>.ManagedByConfiguration(Setting);
        }

        if (Check(input, creating: false) is { Count: > 0 } errors)
        {
            return new AdminResult<ScopeView>.Invalid(errors);
        }

        var before = await ViewAsync(scope, configured: false, ct);
        await scopes.UpdateAsync(scope, Descriptor(name, input), ct);
        var after = await ViewAsync(scope, configured: false, ct);
        await RecordAsync("updated", actor, before, after, ct);
        return new AdminResult<ScopeView>.Done(after);
    }

    public async Task<AdminResult<ScopeView>> DeleteAsync(string name, AdminActor actor, CancellationToken ct)
    {
        if (await scopes.FindByNameAsync(name, ct) is not { } scope)
        {
            return new AdminResult<ScopeView>.NotFound();
        }

        if (await IsConfiguredAsync(name, ct))
        {
            return new AdminResult<ScopeView>.ManagedByConfiguration(Setting);
        }

        var before = await ViewAsync(scope, configured: false, ct);
        await scopes.DeleteAsync(scope, ct);
        await RecordAsync("deleted", actor, before, null, ct);
        return new AdminResult<ScopeView>.Done(before);
    }

    private static Dictionary<string, string[]> Check(ScopeInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (creating && (string.IsNullOrEmpty(input.Name) || input.Name.Length > 100 || input.Name.Any(c => c <= ' ' || c == '"' || c == '\\' || c > '~')))
        {
            errors["name"] = ["name is required: 1 to 100 printable ASCII characters, no spaces, quotes or backslashes."];
        }

        if (input.DisplayName is { Length: > 200 } || input.Description is { Length: > 1000 })
        {
            errors[input.DisplayName is { Length: > 200 } ? "displayName" : "description"] = ["displayName: 200 characters at most; description: 1000."];
        }

        if (input.Resources.Count > 20 || input.Resources.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 400 || r.Any(char.IsWhiteSpace)))
        {
            errors["resources"] = ["resources: at most 20, each 1 to 400 characters without spaces."];
        }

        return errors;
    }

    private static OpenIddictScopeDescriptor Descriptor(string name, ScopeInput input)
    {
        var descriptor = new OpenIddictScopeDescriptor { Name = name, DisplayName = input.DisplayName ?? name, Description = input.Description };
        descriptor.Resources.UnionWith(input.Resources);
        return descriptor;
    }

    private async Task<ScopeView> ViewAsync(object scope, bool configured, CancellationToken ct)
    {
        var d = new OpenIddictScopeDescriptor();
        await scopes.PopulateAsync(d, scope, ct);
        return new ScopeView(d.Name!, d.DisplayName, d.Description, [.. d.Resources.Order(StringComparer.Ordinal)], configured ? ManagedBy.Configuration : ManagedBy.Api);
    }

    private Task<bool> IsConfiguredAsync(string name, CancellationToken ct) =>
        db.ConfiguredEntries.AnyAsync(e => e.Kind == ConfiguredEntry.Scope && e.Name == name, ct);

    private Task RecordAsync(string verb, AdminActor actor, ScopeView? before, ScopeView? after, CancellationToken ct) =>
        audit.RecordAsync(new AuditRecord(AuditEventTypes.Admin("scope", verb)) { Actor = actor.Name, Details = new { before, after } }, ct);
}
