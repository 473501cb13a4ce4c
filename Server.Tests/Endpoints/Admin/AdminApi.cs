using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>Calls the admin API the way a client does: a bearer token from /connect/token, JSON in, JSON or problem details out.</summary>
public static class AdminApi
{
    /// <summary>The Development demo admin client (appsettings.Development.json).</summary>
    public const string Cli = "admin-cli";
    public const string CliSecret = "admin-cli-secret-change-me-0123456789";

    /// <summary>How the audit trail names that client as an actor.</summary>
    public const string CliActor = "client:" + Cli;
    public const string ReadWrite = "admin.read admin.write";

    public static async Task<string> TokenAsync(HttpClient http, string scope = ReadWrite, string clientId = Cli, string secret = CliSecret)
    {
        var response = await Grants.MachineTokenAsync(http, scope, (clientId, secret));
        var body = await OAuth.JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is string raw)
        {
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string? token) => SendAsync(http, HttpMethod.Get, path, token);

    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Asserts an RFC 9457 answer: the status, the problem+json media type, and the same status in the body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? type = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("title", out _));
        if (type is not null)
        {
            Assert.Equal(type, problem.GetProperty("type").GetString());
        }

        return problem;
    }
}
