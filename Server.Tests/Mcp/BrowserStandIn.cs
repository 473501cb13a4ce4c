using System.Net;
using IdentityServer.Tests.Infrastructure;
using ModelContextProtocol.Authentication;

namespace IdentityServer.Tests.Mcp;

/// <summary>
/// Stands in for the browser an MCP client opens: follows the authorization URL the client hands over through this
/// server's real sign-in and consent pages (as alice), and gives the client what its loopback listener would have
/// received. When the server shows a page instead of sending the browser back, that page is kept for the test.
/// </summary>
public sealed class BrowserStandIn(ServerFactory identity) : IDisposable
{
    private readonly Browser browser = NewBrowser(identity);

    /// <summary>Every authorization URL the client asked the person to open.</summary>
    public List<Uri> AuthorizationRequests { get; } = [];

    /// <summary>Where the server sent the browser back to the client.</summary>
    public Uri? Redirect { get; private set; }

    /// <summary>The page the server answered with instead of a redirect to the client (an error page).</summary>
    public HttpResponseMessage? Page { get; private set; }

    public string PageText { get; private set; } = "";

    /// <summary>For <see cref="ClientOAuthOptions.AuthorizationCallbackHandler"/>.</summary>
    public async Task<AuthorizationResult?> HandleAsync(AuthorizationCallbackContext context, CancellationToken cancellationToken)
    {
        AuthorizationRequests.Add(context.AuthorizationUri);
        await FollowAsync(context.AuthorizationUri, cancellationToken);
        if (Redirect is null)
        {
            return null;
        }

        var query = OAuth.Query(Redirect);
        if (query.TryGetValue("error", out var error))
        {
            throw new InvalidOperationException($"The server sent the browser back with {error}: {query.GetValueOrDefault("error_description")}");
        }

        return new AuthorizationResult { Code = query.GetValueOrDefault("code"), State = query.GetValueOrDefault("state"), Iss = query.GetValueOrDefault("iss") };
    }

    /// <summary>Opens an authorization URL and goes through sign-in and consent until the server leaves its own pages.</summary>
    public async Task FollowAsync(Uri authorizationUri, CancellationToken cancellationToken)
    {
        var server = browser.Http.BaseAddress!;
        var response = await browser.Http.GetAsync(authorizationUri, cancellationToken);
        for (var step = 0; step < 8; step++)
        {
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)
            {
                var location = new Uri(server, response.Headers.Location!);
                if (!string.Equals(location.GetLeftPart(UriPartial.Authority), server.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
                {
                    Redirect = location;
                    return;
                }

                response = await browser.Http.GetAsync(location, cancellationToken);
                continue;
            }

            var path = response.RequestMessage!.RequestUri!.AbsolutePath;
            var page = await Browser.HtmlAsync(response);
            if (response.StatusCode == HttpStatusCode.OK && path.StartsWith("/Account/Login", StringComparison.OrdinalIgnoreCase))
            {
                response = await browser.SubmitFormAsync(response, new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = ServerFactory.AlicePassword });
            }
            else if (response.StatusCode == HttpStatusCode.OK && page.QuerySelector("button[name=consent]") is not null)
            {
                response = await browser.SubmitFormAsync(response, button: ("consent", "accept"));
            }
            else
            {
                Page = response;
                PageText = page.Body?.TextContent ?? "";
                return;
            }
        }

        throw new InvalidOperationException("The authorization flow neither came back to the client nor stopped on a page.");
    }

    /// <summary>
    /// Cookies kept, redirects not followed: a client of the server's real socket (the factory's own client follows
    /// redirects there, and would call the MCP client's loopback listener, where nothing listens).
    /// </summary>
    private static Browser NewBrowser(ServerFactory identity) =>
        new(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = identity.ClientOptions.BaseAddress, Timeout = TimeSpan.FromSeconds(15),
        });

    public void Dispose() => browser.Dispose();
}
