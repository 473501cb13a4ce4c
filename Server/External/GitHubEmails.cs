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
    private const int MaxBytes = 64 * 1024;

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
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused((int)response.StatusCode);
                return null;
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new MemoryStream();
            await CopyAtMostAsync(body, buffer, MaxBytes, cancellationToken);
            var emails = JsonSerializer.Deserialize(buffer.ToArray(), GitHubJson.Default.GitHubEmailArray) ?? [];
            return emails.FirstOrDefault(e => e is { Primary: true, Verified: true, Email.Length: > 0 })?.Email;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException or InvalidDataException)
        {
            LogUnreadable(e.GetType().Name);
            return null;
        }
    }

    private static async Task CopyAtMostAsync(Stream source, MemoryStream target, int limit, CancellationToken cancellationToken)
    {
        var chunk = new byte[8192];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (target.Length + read > limit)
            {
                throw new InvalidDataException("GitHub's list of addresses is larger than any real one.");
            }

            target.Write(chunk, 0, read);
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
