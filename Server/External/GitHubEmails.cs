using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IdentityServer.External;

/// <summary>
/// GitHub's user endpoint gives the public profile email with no word on whether GitHub verified it, so that
/// address never counts. The address that counts is the account's primary one, and only when GitHub says it
/// is verified: <c>GET https://api.github.com/user/emails</c> with the sign-in's access token (the
/// <c>user:email</c> scope). Anything else — an error, a timeout, an unexpected body — means no verified
/// address: the person still signs in, and no account is matched or given an address by email.
/// </summary>
internal sealed partial class GitHubEmails(IHttpClientFactory clients, ILogger<GitHubEmails> logger)
{
    public const string ClientName = "github-api";
    public static readonly Uri Endpoint = new("https://api.github.com/user/emails");

    /// <summary>A person has at most a few dozen addresses; a bigger answer is not GitHub's.</summary>
    public const int MaxBytes = 64 * 1024;

    public static void AddGitHubEmails(IServiceCollection services)
    {
        services.AddScoped<GitHubEmails>();
        services.AddHttpClient(ClientName, c =>
            {
                c.Timeout = TimeSpan.FromSeconds(10);
                c.MaxResponseContentBufferSize = MaxBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) });
    }

    public async Task<string?> VerifiedPrimaryAsync(string? accessToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            return null;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            request.Headers.Accept.ParseAdd("application/vnd.github+json");
            request.Headers.UserAgent.ParseAdd("IdentityServer");
            // Read whole (the client buffers at most MaxBytes and refuses more: see AddGitHubEmails).
            using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused((int)response.StatusCode);
                return null;
            }

            var emails = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(cancellationToken), GitHubJson.Default.GitHubEmailArray) ?? [];
            return emails.FirstOrDefault(e => e is { Primary: true, Verified: true, Email.Length: > 0 })?.Email;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
        {
            LogUnreadable(e.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub refused the list of email addresses ({Status}); the sign-in goes on without a verified address.")]
    private partial void LogRefused(int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub's list of email addresses could not be read ({Reason}); the sign-in goes on without a verified address.")]
    private partial void LogUnreadable(string reason);
}

internal sealed record GitHubEmail(
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("primary")] bool Primary,
    [property: JsonPropertyName("verified")] bool Verified);

[JsonSerializable(typeof(GitHubEmail[]))]
internal sealed partial class GitHubJson : JsonSerializerContext;
