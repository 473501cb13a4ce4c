using System.Globalization;
using IdentityServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Application = OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication;

namespace IdentityServer.Registration;

/// <summary>
/// Removes registered clients that never completed a sign-in within <see cref="RegistrationOptions.UnusedClientLifetime"/>
/// of registering: registration is open to anyone, and a client nobody uses should not live for ever. The prune job runs
/// this before it prunes tokens and authorizations, and first marks every registered client that has any (a pushed
/// request's token does not count: pushing needs no sign-in, and would keep the client for ever): a client that
/// signed someone in stays, even once those rows are pruned (a revoked consent, an account deleted) and it has none.
/// </summary>
internal sealed class UnusedClients(ApplicationDbContext db, IOpenIddictApplicationManager applications, IOptions<RegistrationOptions> options)
{
    public async Task<long> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var registered = db.Set<Application>().AsNoTracking().Where(a => a.Settings != null && a.Settings.Contains(RegistrationSettings.TokenHash));
        // A pushed authorization request (RFC 9126) stores a request token before anyone signs in: it is no sign-in.
        var used = await registered.Where(a => !a.Settings!.Contains(RegistrationSettings.SignedIn)
                && (a.Authorizations.Any() || a.Tokens.Any(t => t.Type != TokenTypeIdentifiers.Private.RequestToken)))
            .Select(a => a.Id!).ToListAsync(cancellationToken);
        foreach (var id in used)
        {
            if (await applications.FindByIdAsync(id, cancellationToken) is { } application)
            {
                var descriptor = new OpenIddictApplicationDescriptor();
                await applications.PopulateAsync(descriptor, application, cancellationToken);
                descriptor.Settings[RegistrationSettings.SignedIn] = "true";
                await applications.UpdateAsync(application, descriptor, cancellationToken);
            }
        }

        var unused = await registered.Where(a => !a.Settings!.Contains(RegistrationSettings.SignedIn)
                && !a.Authorizations.Any() && !a.Tokens.Any(t => t.Type != TokenTypeIdentifiers.Private.RequestToken))
            .Select(a => a.Id!).ToListAsync(cancellationToken);
        var threshold = (now - options.Value.UnusedClientLifetime).ToUnixTimeSeconds();
        long removed = 0;
        foreach (var id in unused)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await applications.FindByIdAsync(id, cancellationToken) is { } application
                && (await applications.GetSettingsAsync(application, cancellationToken)).TryGetValue(RegistrationSettings.IssuedAt, out var issued)
                && long.TryParse(issued, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds < threshold)
            {
                await applications.DeleteAsync(application, cancellationToken);
                removed++;
            }
        }

        return removed;
    }
}
