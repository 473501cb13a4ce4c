using System.Text;
using IdentityServer.Data;
using IdentityServer.Oidc;
using IdentityServer.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.ClientMetadata;

/// <summary>
/// Turns a client ID metadata document into a client row, keyed on its URL, and keeps it as fresh as the
/// document's caching allows: the row is what every other part of the server (redirect URI checks, consent,
/// tokens) sees, on every instance. A document that cannot be fetched or used leaves no client behind, and an
/// expired one that fails to refresh is not used.
/// </summary>
internal sealed partial class MetadataDocumentClients(
    IOpenIddictApplicationManager applications,
    ApplicationDbContext db,
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    DocumentFetcher fetcher,
    IOptionsMonitor<SeedOptions> declared,
    TimeProvider time,
    ILogger<MetadataDocumentClients> logger)
{
    /// <summary>Whether a client_id is meant as a document URL at all (anything else is an ordinary client id).</summary>
    public static bool LooksLikeDocumentUrl(string clientId) =>
        clientId.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || clientId.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The longest client_id OpenIddict's ClientId column holds (100 characters).</summary>
    public const int MaxUrlLength = 100;

    /// <summary>
    /// Null when the client is ready to use (or, with <paramref name="createIfMissing"/> false, when there is no
    /// such client for OpenIddict to refuse); otherwise what is wrong, for the error page.
    /// </summary>
    public async Task<Refusal?> EnsureAsync(string clientId, bool createIfMissing, CancellationToken cancellationToken)
    {
        if (clientId.Length > MaxUrlLength)
        {
            return Refuse(clientId[..MaxUrlLength] + "…", $"a client_id URL must be at most {MaxUrlLength} characters", busy: false);
        }

        if (!Uri.TryCreate(clientId, UriKind.Absolute, out var url) || url.AbsoluteUri != clientId || HostPatterns.AsciiHost(url) is null || url.UserInfo.Length > 0 || url.Fragment.Length > 0 || url.AbsolutePath == "/")
        {
            return Refuse(clientId, "a client_id URL must be written in canonical form, with a path and without credentials or a fragment", busy: false);
        }

        var existing = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (existing is null && !createIfMissing)
        {
            return null;
        }

        if (existing is not null)
        {
            var settings = await applications.GetSettingsAsync(existing, cancellationToken);
            if (!settings.TryGetValue(ClientSettings.SelfDescribed, out var kind) || kind != ClientSettings.FromDocument)
            {
                return null;
            }

            if (!ClientSettings.DocumentHasExpired(settings, time.GetUtcNow()))
            {
                return null;
            }
        }

        var fetched = await fetcher.FetchAsync(url, cancellationToken);
        if (fetched.Body is null)
        {
            return Refuse(clientId, fetched.Problem!, fetched.IsBusy);
        }

        var (document, problem) = ClientDocument.Parse(fetched.Body, clientId);
        if (document is null)
        {
            return Refuse(clientId, problem!, busy: false);
        }

        var jwks = document.Jwks;
        if (document.JwksUri is { } jwksUri)
        {
            var keys = await fetcher.FetchAsync(jwksUri, cancellationToken);
            if (keys.Body is null)
            {
                return Refuse(clientId, $"its jwks_uri cannot be fetched: {keys.Problem}", keys.IsBusy);
            }

            var text = Encoding.UTF8.GetString(keys.Body);
            if (DeclarationRules.KeySetProblem(text) is { } keyProblem)
            {
                return Refuse(clientId, $"the key set at its jwks_uri {keyProblem}", busy: false);
            }

            jwks = text;
        }

        var descriptor = Describe(document, jwks, url, time.GetUtcNow() + fetched.CacheLifetime);
        try
        {
            if (existing is null)
            {
                await applications.CreateAsync(descriptor, cancellationToken);
                Log.Accepted(logger, clientId);
            }
            else
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
        }
        catch (Exception e) when (e is OpenIddictExceptions.ConcurrencyException or DbUpdateException || (existing is null && e is OpenIddictExceptions.ValidationException))
        {
            // Another request (or instance) wrote the same document's row meanwhile: its copy serves as well as ours.
            // (OpenIddict itself refuses to create a second row with the same client_id, before the database would.)
            // The row that failed to save stays out of the request's context, or its next save would try it again.
            foreach (var entry in db.ChangeTracker.Entries<OpenIddictEntityFrameworkCoreApplication>().Where(x => x.State is EntityState.Added or EntityState.Modified).ToList())
            {
                entry.State = EntityState.Detached;
            }

            // Read past OpenIddict's entity cache, which remembers this request's first lookup (none, or the stale
            // row), and put the row there: OpenIddict's own client checks later in this request look it up again.
            var written = await db.Set<OpenIddictEntityFrameworkCoreApplication>().SingleOrDefaultAsync(a => a.ClientId == clientId, cancellationToken);
            if (written is null)
            {
                throw;
            }

            await cache.AddAsync(written, cancellationToken);
        }

        return null;
    }

    private OpenIddictApplicationDescriptor Describe(ClientDocument document, string? jwks, Uri url, DateTimeOffset expires)
    {
        var d = new OpenIddictApplicationDescriptor
        {
            ClientId = document.ClientId,
            DisplayName = document.ClientName ?? url.IdnHost,
            ClientType = document.UsesKeys ? ClientTypes.Confidential : ClientTypes.Public,
            JsonWebKeySet = jwks is null ? null : new JsonWebKeySet(jwks),
        };
        d.RedirectUris.UnionWith(document.RedirectUris);
        SelfDescribedClients.Apply(d, document.GrantTypes, declared.CurrentValue);
        d.Settings[ClientSettings.SelfDescribed] = ClientSettings.FromDocument;
        d.Settings[ClientSettings.DocumentExpires] = ClientSettings.DocumentExpiry(expires);
        return d;
    }

    private Refusal Refuse(string clientId, string problem, bool busy)
    {
        Log.Refused(logger, clientId, problem);
        return new Refusal(busy ? Errors.TemporarilyUnavailable : Errors.InvalidClient, $"The client metadata document at {clientId} cannot be used: {problem}.");
    }

    internal sealed record Refusal(string Error, string Description);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Client metadata document {ClientId} accepted as a client.")]
        public static partial void Accepted(ILogger logger, string clientId);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Client metadata document {ClientId} refused: {Problem}.")]
        public static partial void Refused(ILogger logger, string clientId, string problem);
    }
}
