using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Keys;

/// <summary>
/// An independent API (Microsoft's JwtBearer handler) that knows only the server's address: it reads discovery and
/// the JWKS itself, fetches the JWKS again when a token names a kid it has not seen, and checks expiry on the
/// server's fake clock. It counts its JWKS fetches.
/// </summary>
internal sealed class JwtApi : IAsyncDisposable
{
    private readonly WebApplication api;
    private readonly FetchCounter counter;

    private JwtApi(WebApplication api, FetchCounter counter)
    {
        this.api = api;
        this.counter = counter;
    }

    public int JwksFetches => counter.Count;

    public static async Task<JwtApi> StartAsync(ServerFactory server)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var counter = new FetchCounter { InnerHandler = server.Server.CreateHandler() };
        builder.Services.AddAuthentication().AddJwtBearer(o =>
        {
            o.Authority = "http://localhost/";
            o.RequireHttpsMetadata = false;
            o.MapInboundClaims = false;
            o.TokenValidationParameters.ValidateAudience = false;
            o.TokenValidationParameters.LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } e && e > server.Time.GetUtcNow().UtcDateTime && (notBefore is not { } n || n <= server.Time.GetUtcNow().UtcDateTime.AddMinutes(5));
            o.BackchannelHttpHandler = counter;
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (ClaimsPrincipal user) => user.FindFirst("sub")?.Value).RequireAuthorization();
        await app.StartAsync();
        return new JwtApi(app, counter);
    }

    public async Task<HttpStatusCode> CallAsync(string token)
    {
        using var client = api.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.SendAsync(request)).StatusCode;
    }

    public async ValueTask DisposeAsync() => await api.DisposeAsync();

    private sealed class FetchCounter : DelegatingHandler
    {
        private int count;

        public int Count => count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/jwks", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref count);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
