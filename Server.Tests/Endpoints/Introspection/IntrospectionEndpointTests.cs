using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Introspection;

/// <summary>RFC 7662 at /connect/introspect, as the API asking sees it.</summary>
public sealed class IntrospectionEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task IntrospectionAnswersAreNeverCached()
    {
        using var http = server.CreateClient();
        var issued = await OAuth.JsonAsync(await Grants.MachineTokenAsync(http));
        foreach (var token in new[] { issued.GetProperty("access_token").GetString()!, "garbage" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/introspect")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
            };
            request.Headers.Authorization = OAuth.BasicAuth(OAuth.Api, OAuth.ApiSecret);
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, "no Cache-Control: no-store on an introspection answer");
        }
    }
}
