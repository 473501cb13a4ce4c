using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using Application = OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication;

namespace IdentityServer.Oidc.Storage;

/// <summary>
/// Copies of client rows shared by every request for a few seconds. Every token request starts by looking
/// its client up; that lookup (a DbContext, a query, materialisation) was the largest single cost of a
/// client_credentials request. Only clients that exist are remembered, so the map is bounded by the number
/// of clients. Changes made through this instance are seen at once; changes made by another instance
/// (a restart with new appsettings) are seen within <see cref="Lifetime"/>.
/// </summary>
internal sealed class ApplicationSnapshots(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Entry> byClientId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> byId = new(StringComparer.Ordinal);

    public Application? FindByClientId(string clientId) => Find(byClientId, clientId);

    public Application? FindById(string id) => Find(byId, id);

    public void Remember(Application application)
    {
        if (application.Id is null || application.ClientId is null)
        {
            return;
        }

        var entry = new Entry(Copy(application), time.GetUtcNow() + Lifetime);
        byClientId[application.ClientId] = entry;
        byId[application.Id] = entry;
    }

    public void Forget(Application application)
    {
        if (application.Id is not null && byId.TryRemove(application.Id, out var old) && old.Snapshot.ClientId is { } oldClientId)
        {
            byClientId.TryRemove(oldClientId, out _);
        }

        if (application.ClientId is not null)
        {
            byClientId.TryRemove(application.ClientId, out _);
        }
    }

    /// <summary>
    /// A private copy for one request: requests never share a mutable entity. Every column of the row is
    /// written out (the navigation collections stay empty); <c>ApplicationCopyTests</c> fails when OpenIddict
    /// adds a column this copy does not know.
    /// </summary>
    public static Application Copy(Application source) => new()
    {
        Id = source.Id,
        ApplicationType = source.ApplicationType,
        ClientId = source.ClientId,
        ClientSecret = source.ClientSecret,
        ClientType = source.ClientType,
        ConcurrencyToken = source.ConcurrencyToken,
        ConsentType = source.ConsentType,
        DisplayName = source.DisplayName,
        DisplayNames = source.DisplayNames,
        JsonWebKeySet = source.JsonWebKeySet,
        Permissions = source.Permissions,
        PostLogoutRedirectUris = source.PostLogoutRedirectUris,
        Properties = source.Properties,
        RedirectUris = source.RedirectUris,
        Requirements = source.Requirements,
        Settings = source.Settings,
    };

    private Application? Find(ConcurrentDictionary<string, Entry> map, string key) =>
        map.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow() ? Copy(entry.Snapshot) : null;

    private sealed record Entry(Application Snapshot, DateTimeOffset Expires);
}

/// <summary>
/// OpenIddict's application store, answering the two lookups every token request makes from
/// <see cref="ApplicationSnapshots"/>. The copy is not tracked (attaching it was a measurable part of a
/// machine-token request, see bench/README.md); it is recorded in <see cref="RequestApplications"/>, and the
/// token and authorization stores attach that same copy only when a new row is about to point at the client.
/// </summary>
internal sealed class ApplicationStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext openIddictContext,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    ApplicationSnapshots snapshots,
    RequestApplications handedOut)
    : OpenIddictEntityFrameworkCoreApplicationStore(cache, openIddictContext, options)
{
    public override async ValueTask<Application?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken) =>
        handedOut.Record(snapshots.FindByClientId(identifier) ?? Remember(await base.FindByClientIdAsync(identifier, cancellationToken)));

    public override async ValueTask<Application?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        handedOut.Record(snapshots.FindById(identifier) ?? Remember(await base.FindByIdAsync(identifier, cancellationToken)));

    public override async ValueTask CreateAsync(Application application, CancellationToken cancellationToken)
    {
        await base.CreateAsync(application, cancellationToken);
        snapshots.Forget(application);
    }

    // Forgotten after the write, so a copy remembered while the write was in flight is dropped as well.
    public override async ValueTask UpdateAsync(Application application, CancellationToken cancellationToken)
    {
        await base.UpdateAsync(application, cancellationToken);
        snapshots.Forget(application);
    }

    public override async ValueTask DeleteAsync(Application application, CancellationToken cancellationToken)
    {
        await base.DeleteAsync(application, cancellationToken);
        snapshots.Forget(application);
    }

    private Application? Remember(Application? application)
    {
        if (application is not null)
        {
            snapshots.Remember(application);
        }

        return application;
    }
}

/// <summary>
/// The client rows this request was handed (one scope, one request). When a new token or authorization is
/// about to point at a client, the copy already handed out is attached to the context — no query, and no
/// second copy; a client this request never looked up comes from the snapshots.
/// </summary>
internal sealed class RequestApplications(ApplicationSnapshots snapshots)
{
    private readonly Dictionary<string, Application> byId = new(StringComparer.Ordinal);

    public Application? Record(Application? application)
    {
        if (application?.Id is { } id)
        {
            byId[id] = application;
        }

        return application;
    }

    public void AttachIfKnown(DbContext context, string? id)
    {
        if (id is null || context.Set<Application>().Local.FindEntry(id) is not null)
        {
            return;
        }

        if ((byId.TryGetValue(id, out var copy) ? copy : snapshots.FindById(id)) is { } known)
        {
            context.Attach(known);
        }
    }
}
