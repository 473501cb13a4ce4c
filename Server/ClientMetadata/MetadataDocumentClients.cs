using System.Globalization;
using System.Text;
using IdentityServer.Oidc;
using IdentityServer.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
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
    DocumentFetcher fetcher,
    IOptionsMonitor<SeedOptions> declared,
    TimeProvider time,
    ILogger<MetadataDocumentClients> logger)
{
    /// <summary>Whether a client_id is meant as a document URL at all (anything else is an ordinary client id).</summary>
    public static bool LooksLikeDocumentUrl(string clientId) =>
        clientId.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || clientId.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the client is ready to use; otherwise what is wrong, for the error page.</summary>
    public async Task<Refusal?> EnsureAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(clientId, UriKind.Absolute, out var url) || url.AbsoluteUri != clientId || url.UserInfo.Length > 0 || url.Fragment.Length > 0 || url.AbsolutePath == "/")
        {
            return Refuse(clientId, "a client_id URL must be written in canonical form, with a path and without credentials or a fragment", busy: false);
        }

        var existing = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (existing is not null)
        {
            var settings = await applications.GetSettingsAsync(existing, cancellationToken);
            if (!settings.TryGetValue(ClientSettings.SelfDescribed, out var kind) || kind != ClientSettings.FromDocument)
            {
                return null;
            }

            if (settings.TryGetValue(ClientSettings.DocumentExpires, out var expires)
                && DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var until) && until > time.GetUtcNow())
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
        catch (Exception e) when (e is OpenIddictExceptions.ConcurrencyException or DbUpdateException)
        {
            // Another request (or instance) wrote the same document's row meanwhile: its copy serves as well as ours.
            if (await applications.FindByClientIdAsync(clientId, cancellationToken) is null)
            {
                throw;
            }
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
        d.Settings[ClientSettings.DocumentExpires] = expires.ToString("O", CultureInfo.InvariantCulture);
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
