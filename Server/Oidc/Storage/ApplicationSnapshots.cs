using System.Collections.Concurrent;
using System.Reflection;
using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;
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
    /// Makes a client row known to <paramref name="context"/> without a query when a token or an
    /// authorization is about to point at it: the store then finds it in the change tracker.
    /// </summary>
    public void AttachIfKnown(DbContext context, string? id)
    {
        if (id is not null && context.Set<Application>().Local.FindEntry(id) is null && FindById(id) is { } copy)
        {
            context.Attach(copy);
        }
    }

    /// <summary>A private copy for one request: requests never share a mutable entity.</summary>
    public static Application Copy(Application source)
    {
        var copy = new Application();
        foreach (var property in ScalarProperties)
        {
            property.SetValue(copy, property.GetValue(source));
        }

        return copy;
    }

    private Application? Find(ConcurrentDictionary<string, Entry> map, string key) =>
        map.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow() ? Copy(entry.Snapshot) : null;

    // Every column of the row (strings); the navigation collections are left empty.
    private static readonly PropertyInfo[] ScalarProperties = typeof(Application)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.CanWrite && p.PropertyType == typeof(string))
        .ToArray();

    private sealed record Entry(Application Snapshot, DateTimeOffset Expires);
}

/// <summary>
/// OpenIddict's application store, answering the two lookups every token request makes from
/// <see cref="ApplicationSnapshots"/>. The copy is not tracked (attaching it cost 8 % of a machine-token
/// request); the token and authorization stores attach one only when a new row is about to point at the client.
/// </summary>
internal sealed class ApplicationStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext openIddictContext,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    ApplicationSnapshots snapshots)
    : OpenIddictEntityFrameworkCoreApplicationStore(cache, openIddictContext, options)
{
    public override async ValueTask<Application?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken) =>
        snapshots.FindByClientId(identifier) ?? Remember(await base.FindByClientIdAsync(identifier, cancellationToken));

    public override async ValueTask<Application?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        snapshots.FindById(identifier) ?? Remember(await base.FindByIdAsync(identifier, cancellationToken));

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
