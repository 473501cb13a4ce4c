using System.Net;
using System.Text.Json;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.EntityFrameworkCore.Models;

namespace IdentityServer.Tests.Endpoints.Registration;

/// <summary>What registration refuses, each with a 4xx and the RFC 7591 error a client can act on; nothing is registered.</summary>
public sealed class ClientRegistrationRefusalTests(RegistrationServer server) : IClassFixture<RegistrationServer>
{
    public static TheoryData<string, string, string> Refused => new()
    {
        // member, JSON value, expected error
        { "token_endpoint_auth_method", "\"client_secret_jwt\"", "invalid_client_metadata" },
        { "token_endpoint_auth_method", "\"private_key_jwt\"", "invalid_client_metadata" },
        { "grant_types", "[\"implicit\"]", "invalid_client_metadata" },
        { "grant_types", "[\"authorization_code\",\"client_credentials\"]", "invalid_client_metadata" },
        { "grant_types", "[\"refresh_token\"]", "invalid_client_metadata" },
        { "grant_types", "[\"authorization_code\",\"password\"]", "invalid_client_metadata" },
        { "grant_types", "\"authorization_code\"", "invalid_client_metadata" },
        { "response_types", "[\"token\"]", "invalid_client_metadata" },
        { "response_types", "[\"code\",\"id_token\"]", "invalid_client_metadata" },
        { "redirect_uris", "[\"http://example.com/callback\"]", "invalid_redirect_uri" },
        { "redirect_uris", "[\"http://127.0.0.1.example.com/callback\"]", "invalid_redirect_uri" },
        { "redirect_uris", "[\"http://localhost.evil.example/callback\"]", "invalid_redirect_uri" },
        { "redirect_uris", "[\"https://app.example/callback#fragment\"]", "invalid_redirect_uri" },
        { "redirect_uris", "[\"https://user:pass@app.example/callback\"]", "invalid_redirect_uri" },
        { "redirect_uris", "[\"com.example.app:/callback\"]", "invalid_redirect_uri" },
        { "redirect_uris", "[\"javascript:alert(1)\"]", "invalid_redirect_uri" },
        { "redirect_uris", "[\"/relative/callback\"]", "invalid_redirect_uri" },
        { "redirect_uris", "[\" https://app.example/callback\"]", "invalid_redirect_uri" },
        { "redirect_uris", "[]", "invalid_redirect_uri" },
        { "redirect_uris", "null", "invalid_redirect_uri" },
        { "redirect_uris", "\"https://app.example/callback\"", "invalid_redirect_uri" },
        { "redirect_uris", "[1]", "invalid_redirect_uri" },
        { "redirect_uris", "[\"https://a.example/1\",\"https://a.example/2\",\"https://a.example/3\",\"https://a.example/4\",\"https://a.example/5\",\"https://a.example/6\"]", "invalid_redirect_uri" },
        { "client_name", "\"" + new string('n', 101) + "\"", "invalid_client_metadata" },
        { "client_name", "\"bell\\u0007\"", "invalid_client_metadata" },
        { "client_name", "42", "invalid_client_metadata" },
        { "client_name", "\"\\ud800\"", "invalid_client_metadata" },
        { "logo_uri", "\"http://app.example/logo.png\"", "invalid_client_metadata" },
        { "client_uri", "\"javascript:alert(1)\"", "invalid_client_metadata" },
        { "scope", "\"made-up api\"", "invalid_client_metadata" },
        { "scope", "[\"openid\"]", "invalid_client_metadata" },
        { "software_statement", "\"eyJhbGciOiJub25lIn0.e30.\"", "invalid_software_statement" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task UnsupportedMetadataIsRefused(string member, string json, string error)
    {
        // Spliced in as text: some values (half a surrogate pair) are valid JSON that no JSON writer would produce.
        var metadata = Registrations.Metadata();
        metadata.Remove(member);
        var text = JsonSerializer.Serialize(metadata);
        using var http = server.CreateClient();
        var before = await RegisteredCountAsync();

        var response = await Registrations.PostRawAsync(http, $"{text[..^1]},\"{member}\":{json}}}", "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await OAuth.JsonAsync(response);
        Assert.Equal(error, Registrations.Error(body));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error_description").GetString()));
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal(before, await RegisteredCountAsync());
    }

    public static TheoryData<string, string?, HttpStatusCode> BadBodies => new()
    {
        { "{\"redirect_uris\": [\"https://app.example/cb\"", "application/json", HttpStatusCode.BadRequest },
        { "not json at all", "application/json", HttpStatusCode.BadRequest },
        { "[{\"redirect_uris\": [\"https://app.example/cb\"]}]", "application/json", HttpStatusCode.BadRequest },
        { "\"string\"", "application/json", HttpStatusCode.BadRequest },
        { "", "application/json", HttpStatusCode.BadRequest },
        { new string('[', 100) + new string(']', 100), "application/json", HttpStatusCode.BadRequest },
        { "{\"redirect_uris\": [\"https://a.example/cb\"], \"redirect_uris\": [\"http://evil.example/cb\"]}", "application/json", HttpStatusCode.BadRequest },
        { "{\"redirect_uris\": [\"https://app.example/cb\"]}", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType },
        { "{\"redirect_uris\": [\"https://app.example/cb\"]}", "text/plain", HttpStatusCode.UnsupportedMediaType },
        { "{\"redirect_uris\": [\"https://app.example/cb\"]}", "application/json; charset=utf-16", HttpStatusCode.UnsupportedMediaType },
        { "{\"redirect_uris\": [\"https://app.example/cb\"]}", null, HttpStatusCode.UnsupportedMediaType },
        { "redirect_uris=https%3A%2F%2Fapp.example%2Fcb", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType },
        { "{\"client_name\": \"" + new string('x', 20_000) + "\", \"redirect_uris\": [\"https://app.example/cb\"]}", "application/json", HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ABodyThatIsNotOneJsonObjectIsRefusedWithAClearError(string body, string? contentType, HttpStatusCode status)
    {
        using var http = server.CreateClient();
        var before = await RegisteredCountAsync();

        var response = await Registrations.PostRawAsync(http, body, contentType);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("invalid_client_metadata", Registrations.Error(await OAuth.JsonAsync(response)));
        Assert.Equal(before, await RegisteredCountAsync());
    }

    [Fact]
    public async Task MethodsOtherThanPostGetAndDeleteAreRefused()
    {
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.GetAsync(Registrations.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PutAsync(Registrations.Path + "/x", new StringContent("{}"))).StatusCode);
    }

    private async Task<int> RegisteredCountAsync()
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        return await db.Set<OpenIddictEntityFrameworkCoreApplication>().CountAsync();
    }
}
