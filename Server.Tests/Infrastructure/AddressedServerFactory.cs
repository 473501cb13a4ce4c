using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>
/// The server, where each request may say which client address it comes from (header <see cref="Header"/>),
/// as if it had arrived over a socket from there. For the per-address rate limits; nothing else reads it.
/// </summary>
public sealed class AddressedServerFactory : ServerFactory
{
    public const string Header = "X-Test-Remote-Address";

    public HttpClient CreateClient(string address)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(Header, address);
        return client;
    }

    public Browser CreateBrowser(string address)
    {
        var browser = CreateBrowser();
        browser.Http.DefaultRequestHeaders.Add(Header, address);
        return browser;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>());
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
