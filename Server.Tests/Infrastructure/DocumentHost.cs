using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>
/// A real web server on a loopback port that serves whatever a test puts at a path: client metadata documents,
/// good and hostile (too large, too slow, redirecting, not JSON). Counts the requests per path.
/// </summary>
public sealed class DocumentHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, Served> served = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> hits = new(StringComparer.Ordinal);

    private DocumentHost(WebApplication app, string origin)
    {
        this.app = app;
        Origin = origin;
    }

    /// <summary>http://127.0.0.1:port (https:// when started with a certificate), no trailing slash.</summary>
    public string Origin { get; }

    /// <summary>Plain http, or https with <paramref name="certificate"/> (see <see cref="TestDocumentCertificate"/>).</summary>
    public static async Task<DocumentHost> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (certificate is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        }

        var app = builder.Build();
        DocumentHost? host = null;
        app.Run(async context => await host!.ServeAsync(context));
        await app.StartAsync();
        host = new DocumentHost(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/'));
        return host;
    }

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/> and returns its URL.</summary>
    public string Serve(string path, string body, string contentType = "application/json", int status = 200, TimeSpan? delay = null,
        string? cacheControl = null, string? location = null, bool chunked = false)
    {
        served[path] = new Served(body, contentType, status, delay ?? TimeSpan.Zero, cacheControl, location, chunked);
        return Origin + path;
    }

    public int Hits(string path) => hits.TryGetValue(path, out var n) ? n : 0;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        if (!served.TryGetValue(path, out var s))
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (s.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(s.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = s.Status;
        context.Response.ContentType = s.ContentType;
        if (s.CacheControl is not null)
        {
            context.Response.Headers.CacheControl = s.CacheControl;
        }

        if (s.Location is not null)
        {
            context.Response.Headers.Location = s.Location;
        }

        var bytes = Encoding.UTF8.GetBytes(s.Body);
        if (!s.Chunked)
        {
            context.Response.ContentLength = bytes.Length;
        }

        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private sealed record Served(string Body, string ContentType, int Status, TimeSpan Delay, string? CacheControl, string? Location, bool Chunked);
}
