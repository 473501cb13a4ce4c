using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using IdentityServer.BackchannelLogout;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Tests.BackchannelLogout;

/// <summary>
/// The clients' back-channel logout endpoints, inside the test: the server's logout HTTP client is pointed at
/// this handler, which records each request as it arrived and answers with the next scripted status (200 once
/// the script runs out).
/// </summary>
public sealed class LogoutReceiver : HttpMessageHandler
{
    private readonly ConcurrentQueue<HttpStatusCode> script = new();

    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(Uri Uri, string? ContentType, Dictionary<string, string> Form, string Body);

    /// <summary>The answers to give, in order, before answering 200.</summary>
    public void AnswerNext(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            script.Enqueue(status);
        }
    }

    /// <summary>Installs this receiver in place of the network for the server's logout HTTP client.</summary>
    public void InstallIn(ServerFactory server) =>
        server.TestServices.Add(services => services.Configure<HttpClientFactoryOptions>(LogoutSender.ClientName,
            o => o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = this)));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""), StringComparer.Ordinal);
        Requests.Enqueue(new Received(request.RequestUri!, request.Content?.Headers.ContentType?.MediaType, form, body));
        return new HttpResponseMessage(script.TryDequeue(out var status) ? status : HttpStatusCode.OK) { RequestMessage = request };
    }

    /// <summary>Validates a logout token the way a relying party must (Back-Channel Logout 1.0 §2.6), against the server's published keys.</summary>
    public static async Task<ClaimsIdentity> ValidateAsync(HttpClient server, string logoutToken, string clientId)
    {
        var discovery = await OAuth.JsonAsync(await server.GetAsync("/.well-known/openid-configuration"));
        var jwksUri = new Uri(discovery.GetProperty("jwks_uri").GetString()!);
        var keys = new JsonWebKeySet(await server.GetStringAsync(jwksUri.PathAndQuery));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(logoutToken, new TokenValidationParameters
        {
            ValidIssuer = discovery.GetProperty("issuer").GetString(),
            ValidAudience = clientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidTypes = ["logout+jwt"],
            ValidAlgorithms = discovery.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()!).ToList(),
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        });
        Assert.True(result.IsValid, result.Exception?.ToString());

        // The checks README.md shows a client making.
        var jwt = Assert.IsType<JsonWebToken>(result.SecurityToken);
        Assert.False(jwt.TryGetClaim("nonce", out _));
        Assert.True(jwt.TryGetClaim("events", out var events));
        Assert.True(JsonDocument.Parse(events.Value).RootElement.TryGetProperty("http://schemas.openid.net/event/backchannel-logout", out _));
        return result.ClaimsIdentity;
    }
}
