using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using IdentityServer.Accounts.Email;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>Drives the account pages the way a person would, and reads the mail the server sent.</summary>
public static partial class People
{
    public const string NewUserPassword = "pebble orchard compass 57";

    /// <summary>
    /// A confirmed account of its own, with a name no other test uses, made directly in the store: a test on a shared
    /// server locks it, changes its password or moves its security stamp instead of alice's.
    /// </summary>
    public static async Task<string> NewUserAsync(ServerFactory server, string prefix = "user")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var created = await users.CreateAsync(new ApplicationUser { UserName = name, Email = name + "@example.com", EmailConfirmed = true }, NewUserPassword);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        return name;
    }

    public static async Task<HttpResponseMessage> SignInAsync(Browser browser, string login, string password, string? returnUrl = null)
    {
        var page = await browser.GetAsync("/Account/Login" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl)));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.SubmitFormAsync(page, new Dictionary<string, string> { ["Login"] = login, ["Password"] = password });
    }

    public static async Task<HttpResponseMessage> RegisterAsync(Browser browser, string userName, string email, string password)
    {
        var page = await browser.GetAsync("/Account/Register");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.SubmitFormAsync(page, new Dictionary<string, string> { ["UserName"] = userName, ["Email"] = email, ["Password"] = password });
    }

    public static async Task<HttpResponseMessage> PostPageAsync(Browser browser, string path, IDictionary<string, string> values, string? handler = null)
    {
        var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await Browser.HtmlAsync(page);
        var token = document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var fields = new Dictionary<string, string>(values) { ["__RequestVerificationToken"] = token };
        return await browser.PostFormAsync(path + (handler is null ? "" : "?handler=" + handler), fields);
    }

    /// <summary>
    /// Turns the authenticator app on from the 2FA page of a signed-in browser, with a code for the key the page
    /// shows: the key, and the page's answer (the recovery codes, or a redirect when the change is refused).
    /// </summary>
    public static async Task<(string Key, HttpResponseMessage Answer)> EnableTwoFactorAsync(Browser browser)
    {
        var page = await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/TwoFactor"));
        var key = page.QuerySelector("#shared-key")!.TextContent;
        var answer = await PostPageAsync(browser, "/Account/Manage/TwoFactor", new Dictionary<string, string> { ["Code"] = Totp(key, DateTimeOffset.UtcNow) }, "Enable");
        return (key, answer);
    }

    /// <summary>
    /// Signs in with the password, then the authenticator code for <paramref name="codeTime"/> (the code used to
    /// enrol is spent: pass a later step for the next sign-in); the answer of the code page.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInWithSecondFactorAsync(Browser browser, string login, string password, string key, DateTimeOffset codeTime, string returnUrl = "/")
    {
        var first = await SignInAsync(browser, login, password, returnUrl);
        Assert.StartsWith("/Account/LoginWith2fa", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return await browser.SubmitFormAsync(await browser.GetAsync(first.Headers.Location.OriginalString), new Dictionary<string, string> { ["Code"] = Totp(key, codeTime) });
    }

    /// <summary>
    /// Completes once every message the server has queued so far is delivered or given up on: mail is sent in
    /// the background, so a test waits on this signal before it reads what was sent.
    /// </summary>
    public static Task MailSentAsync(IServiceProvider services) => services.GetRequiredService<MailQueue>().WhenIdleAsync();

    /// <summary>The newest message sent to <paramref name="to"/> (once the queue has drained), and the first link in it.</summary>
    public static async Task<(MimeMessage Message, string Link)> LastMailAsync(ServerFactory server, string to)
    {
        await MailSentAsync(server.Services);
        var folder = server.MailFolder;
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [];
        foreach (var file in files.OrderByDescending(File.GetLastWriteTimeUtc).ThenByDescending(f => f, StringComparer.Ordinal))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => m.Address == to))
            {
                return (message, LinkIn(message));
            }
        }

        throw new InvalidOperationException($"No mail to {to} in {folder}.");
    }

    public static string LinkIn(MimeMessage message) =>
        WebUtility.HtmlDecode(Href().Match(message.HtmlBody ?? "").Groups[1].Value);

    /// <summary>RFC 6238 TOTP (SHA-1, 30 s, 6 digits) from the base32 key the 2FA page shows.</summary>
    public static string Totp(string base32Key, DateTimeOffset now)
    {
        var key = Base32(base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        var counter = BitConverter.GetBytes(now.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1.
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (code % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var output = new List<byte>();
        foreach (var c in text.TrimEnd('='))
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
