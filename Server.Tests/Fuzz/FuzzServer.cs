using System.Globalization;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// The real server for one group of fuzzed endpoints: errors logged with an exception are captured, the
/// console logger is off (tens of thousands of requests), a GitHub provider is configured so the external
/// sign-in callback and challenge run (GitHub's endpoints are static: nothing is fetched), client registration is on, and rate limits
/// stay on — their partitioners parse the same hostile input — but far above what the fuzzer sends, so a
/// 429 never hides what the endpoint would have done. The fuzzer counts 429s and fails on any.
/// </summary>
internal sealed class FuzzServer : ServerFactory
{
    /// <summary>A declared API the spa may name with resource, and the exchanger may exchange tokens for.</summary>
    public const string Resource = "https://api.fuzz.example/";

    public const string Exchanger = "exchanger";
    public const string ExchangerSecret = "exchanger-secret-0123456789abcdef";

    public FuzzServer()
    {
        Settings["IdentityServer:Resources:0:Uri"] = Resource;
        this.OverrideClient(OAuth.Spa, "Resources:0", Resource);
        var exchanger = this.DeclareClient(new TestClient(Exchanger) { Type = "confidential", Secret = ExchangerSecret, GrantTypes = ["token_exchange"], Scopes = ["openid", "api"] });
        Settings[exchanger + ":SubjectTokenAudiences:0"] = OAuth.Api;
        Settings[exchanger + ":Resources:0"] = Resource;

        var unlimited = 1_000_000_000.ToString(CultureInfo.InvariantCulture);
        Settings["IdentityServer:RateLimits:AccountPostsPerMinutePerAddress"] = unlimited;
        Settings["IdentityServer:RateLimits:SignInsPerMinutePerAddress"] = unlimited;
        Settings["IdentityServer:RateLimits:TokenRequestsPerSecondPerClient"] = unlimited;
        Settings["IdentityServer:RateLimits:RegistrationsPerHourPerAddress"] = unlimited;
        Settings["IdentityServer:RateLimits:AdminRequestsPerMinutePerAddress"] = unlimited;
        Settings["IdentityServer:Registration:Enabled"] = "true";
        foreach (var failures in (string[])["FailedSignInsPerMinutePerAccount", "FailedSignInsPerMinutePerAddress",
            "FailedClientAuthenticationsPerMinutePerClient", "FailedClientAuthenticationsPerMinutePerAddress", "UserCodeAttemptsPerMinutePerAddress", "FailedUserCodesPerMinute"])
        {
            Settings["IdentityServer:RateLimits:" + failures] = unlimited;
        }

        // Metadata documents are fetched from the fuzz's own document host only: a mutated URL never leaves the machine.
        Settings["IdentityServer:ClientMetadataDocuments:AllowedHosts:0"] = "127.0.0.1";
        Settings["IdentityServer:External:GitHub:ClientId"] = "fuzz-github-client";
        Settings["IdentityServer:External:GitHub:ClientSecret"] = "fuzz-github-secret";
    }

    public CapturedErrors Errors { get; } = new();

    /// <summary>Serves a client metadata document, so client_id may be its URL; started by <see cref="StartDocumentsAsync"/>.</summary>
    public DocumentHost? Documents { get; private set; }

    public string DocumentClientId { get; private set; } = "https://127.0.0.1/unstarted.json";

    public async Task StartDocumentsAsync()
    {
        Documents = await DocumentHost.StartAsync();
        DocumentClientId = Documents.Origin + "/fuzz-client.json";
        Documents.Serve("/fuzz-client.json", ClientDocuments.Json(DocumentClientId, redirectUris: [ClientDocuments.Callback, OAuth.SpaRedirect]));
    }

    public override async ValueTask DisposeAsync()
    {
        if (Documents is not null)
        {
            await Documents.DisposeAsync();
        }

        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(Errors);
        });
    }
}
