using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityServer.Tests.Mcp;

/// <summary>
/// Where an MCP client publishes its client ID metadata document: a loopback web host that serves, at each path a
/// test chooses, a document, an oversized one, or one that never finishes answering. Counts the fetches per path.
/// </summary>
public sealed class ClientDocumentHost : IAsyncDisposable
{
    /// <summary>How long a slow document keeps the request open at most (the server under test gives up far sooner).</summary>
    private static readonly TimeSpan SlowestAnswer = TimeSpan.FromSeconds(30);

    private static readonly string[] GrantTypes = ["authorization_code", "refresh_token"];
    private static readonly string[] ResponseTypes = ["code"];

    private readonly ConcurrentDictionary<string, RequestDelegate> documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> fetches = new(StringComparer.Ordinal);
    private readonly WebApplication app;

    private ClientDocumentHost(WebApplication app, string origin)
    {
        this.app = app;
        Origin = origin;
    }

    /// <summary>e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Origin { get; }

    public static async Task<ClientDocumentHost> StartAsync()
    {
        ClientDocumentHost? self = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context =>
        {
            var path = context.Request.Path.Value ?? "";
            self!.fetches.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (self.documents.TryGetValue(path, out var answer))
            {
                return answer(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        self = new ClientDocumentHost(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return self;
    }

    /// <summary>A fresh path on this host (documents are cached by the server, so each test publishes its own).</summary>
    public string NewUrl(string name = "client") => $"{Origin}/{name}-{Guid.NewGuid():N}.json";

    /// <summary>The document as MCP clients write it: <paramref name="clientId"/> defaults to the URL it is served at.</summary>
    public string Publish(string url, IReadOnlyList<string> redirectUris, string? clientId = null, string clientName = "Test MCP client")
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["client_id"] = clientId ?? url,
            ["client_name"] = clientName,
            ["redirect_uris"] = redirectUris,
            ["grant_types"] = GrantTypes,
            ["response_types"] = ResponseTypes,
            ["token_endpoint_auth_method"] = "none",
        });
        PublishRaw(url, json);
        return url;
    }

    public void PublishRaw(string url, string json) => Answer(url, context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    });

    /// <summary>Sends the headers at once, then never finishes the body until the fetcher hangs up.</summary>
    public void PublishSlow(string url) => Answer(url, async context =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"client_id\":", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        try
        {
            await Task.Delay(SlowestAnswer, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The fetcher gave up, as it should.
        }
    });

    public int Fetches(string url) => fetches.TryGetValue(new Uri(url).AbsolutePath, out var n) ? n : 0;

    private void Answer(string url, RequestDelegate answer) => documents[new Uri(url).AbsolutePath] = answer;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
