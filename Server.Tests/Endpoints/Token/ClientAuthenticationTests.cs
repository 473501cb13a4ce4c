using System.Net;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Token;

/// <summary>
/// RFC 6749 §5.2 on the wire: every way a client can fail to authenticate at the token, introspection and
/// revocation endpoints answers 401 <c>invalid_client</c> with <c>WWW-Authenticate: Basic</c>; two
/// authentication methods in one request are <c>invalid_request</c>; an authenticated client asking for what it
/// may not have is <c>unauthorized_client</c>.
/// </summary>
public sealed class ClientAuthenticationTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Garbage = "not-a-token-at-all";

    // Replaced by a live access token: the introspection endpoint answers a bad token {"active":false} before
    // it looks at the client's permissions, so those cases need a token that is valid.
    private const string LiveToken = "{live access token}";

    private sealed record Case(string Endpoint, Dictionary<string, string> Form, string? Authorization, HttpStatusCode Status, string Error);

    private static string Basic(string id, string secret) => OAuth.BasicAuth(id, secret).ToString();

    private static Dictionary<string, string> Form(params string[] pairs) =>
        pairs.Chunk(2).ToDictionary(p => p[0], p => p[1]);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // The token endpoint.
        ["token: wrong secret (Basic)"] = new("/connect/token", Form("grant_type", "client_credentials"), Basic(OAuth.Machine, "wrong-secret-wrong-secret"), HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: wrong secret (form)"] = new("/connect/token", Form("grant_type", "client_credentials", "client_id", OAuth.Machine, "client_secret", "wrong-secret-wrong-secret"), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: unknown client (Basic)"] = new("/connect/token", Form("grant_type", "client_credentials"), Basic("ghost", "whatever-secret-here"), HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: unknown client (form, code grant)"] = new("/connect/token", Form("grant_type", "authorization_code", "client_id", "ghost", "code", Garbage, "redirect_uri", OAuth.SpaRedirect, "code_verifier", new string('v', 43)), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: confidential client without its secret (code grant)"] = new("/connect/token", Form("grant_type", "authorization_code", "client_id", OAuth.Web, "code", Garbage, "redirect_uri", OAuth.WebRedirect, "code_verifier", new string('v', 43)), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: confidential client without its secret (client_credentials)"] = new("/connect/token", Form("grant_type", "client_credentials", "client_id", OAuth.Machine), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: no client at all (client_credentials)"] = new("/connect/token", Form("grant_type", "client_credentials"), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: no client at all (code grant)"] = new("/connect/token", Form("grant_type", "authorization_code", "code", Garbage, "redirect_uri", OAuth.SpaRedirect, "code_verifier", new string('v', 43)), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: no client at all (refresh grant)"] = new("/connect/token", Form("grant_type", "refresh_token", "refresh_token", Garbage), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: a secret but no client_id"] = new("/connect/token", Form("grant_type", "client_credentials", "client_secret", OAuth.MachineSecret), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: public client with a secret it does not have"] = new("/connect/token", Form("grant_type", "refresh_token", "refresh_token", Garbage, "client_id", OAuth.Spa, "client_secret", "made-up-secret-made-up"), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: public client on client_credentials"] = new("/connect/token", Form("grant_type", "client_credentials", "client_id", OAuth.Spa), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: public client on client_credentials with a secret (Basic)"] = new("/connect/token", Form("grant_type", "client_credentials"), Basic(OAuth.Spa, "made-up-secret-made-up"), HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: Basic header that is not credentials"] = new("/connect/token", Form("grant_type", "client_credentials"), "Basic " + Convert.ToBase64String("machine"u8.ToArray()), HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: Basic header that is not base64"] = new("/connect/token", Form("grant_type", "client_credentials"), "Basic !!!notbase64", HttpStatusCode.Unauthorized, "invalid_client"),
        ["token: secret in both the header and the form"] = new("/connect/token", Form("grant_type", "client_credentials", "client_secret", OAuth.MachineSecret), Basic(OAuth.Machine, OAuth.MachineSecret), HttpStatusCode.BadRequest, "invalid_request"),
        ["token: authenticated client on a grant it may not use"] = new("/connect/token", Form("grant_type", "client_credentials"), Basic(OAuth.Web, OAuth.WebSecret), HttpStatusCode.BadRequest, "unauthorized_client"),

        // The introspection endpoint.
        ["introspect: wrong secret"] = new("/connect/introspect", Form("token", Garbage), Basic(OAuth.Api, "wrong-secret-wrong-secret"), HttpStatusCode.Unauthorized, "invalid_client"),
        ["introspect: unknown client"] = new("/connect/introspect", Form("token", Garbage, "client_id", "ghost", "client_secret", "whatever-secret-here"), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["introspect: confidential client without its secret"] = new("/connect/introspect", Form("token", Garbage, "client_id", OAuth.Api), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["introspect: no client at all"] = new("/connect/introspect", Form("token", Garbage), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["introspect: public client"] = new("/connect/introspect", Form("token", LiveToken, "client_id", OAuth.Spa), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["introspect: public client with a secret it does not have"] = new("/connect/introspect", Form("token", Garbage), Basic(OAuth.Spa, "made-up-secret-made-up"), HttpStatusCode.Unauthorized, "invalid_client"),
        ["introspect: Basic header that is not credentials"] = new("/connect/introspect", Form("token", Garbage), "Basic " + Convert.ToBase64String("demo-api"u8.ToArray()), HttpStatusCode.Unauthorized, "invalid_client"),
        ["introspect: secret in both the header and the form"] = new("/connect/introspect", Form("token", Garbage, "client_secret", OAuth.ApiSecret), Basic(OAuth.Api, OAuth.ApiSecret), HttpStatusCode.BadRequest, "invalid_request"),
        ["introspect: authenticated client without the permission"] = new("/connect/introspect", Form("token", LiveToken), Basic(OAuth.Machine, OAuth.MachineSecret), HttpStatusCode.BadRequest, "unauthorized_client"),

        // The revocation endpoint.
        ["revoke: wrong secret"] = new("/connect/revoke", Form("token", Garbage), Basic(OAuth.Web, "wrong-secret-wrong-secret"), HttpStatusCode.Unauthorized, "invalid_client"),
        ["revoke: unknown client"] = new("/connect/revoke", Form("token", Garbage, "client_id", "ghost"), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["revoke: confidential client without its secret"] = new("/connect/revoke", Form("token", Garbage, "client_id", OAuth.Web), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["revoke: no client at all"] = new("/connect/revoke", Form("token", Garbage), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["revoke: public client with a secret it does not have"] = new("/connect/revoke", Form("token", Garbage, "client_id", OAuth.Spa, "client_secret", "made-up-secret-made-up"), null, HttpStatusCode.Unauthorized, "invalid_client"),
        ["revoke: Basic header that is not credentials"] = new("/connect/revoke", Form("token", Garbage), "Basic " + Convert.ToBase64String("web"u8.ToArray()), HttpStatusCode.Unauthorized, "invalid_client"),
        ["revoke: secret in both the header and the form"] = new("/connect/revoke", Form("token", Garbage, "client_secret", OAuth.WebSecret), Basic(OAuth.Web, OAuth.WebSecret), HttpStatusCode.BadRequest, "invalid_request"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task ClientAuthenticationFailureAnswersAsRfc6749Says(string name)
    {
        var (endpoint, form, authorization, status, error) = Cases[name];
        using var http = server.CreateClient();
        if (form.ContainsValue(LiveToken))
        {
            var issued = await OAuth.TokenAsync(http, Form("grant_type", "client_credentials", "scope", "api"), (OAuth.Machine, OAuth.MachineSecret));
            var token = (await OAuth.JsonAsync(issued)).GetProperty("access_token").GetString()!;
            form = form.ToDictionary(p => p.Key, p => p.Value == LiveToken ? token : p.Value);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("error_description").GetString()));
        Assert.True(response.Headers.CacheControl?.NoStore);
        if (status == HttpStatusCode.Unauthorized)
        {
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Basic", challenge.Scheme);
            Assert.Contains("invalid_client", challenge.Parameter, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(response.Headers.WwwAuthenticate);
        }
    }

    [Fact]
    public async Task APublicClientMayStillRevokeItsOwnTokensWithoutASecret()
    {
        using var http = server.CreateClient();
        var response = await http.PostAsync("/connect/revoke", new FormUrlEncodedContent(Form("token", Garbage, "client_id", OAuth.Spa)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
