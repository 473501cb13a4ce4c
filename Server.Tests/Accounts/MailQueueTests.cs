using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using IdentityServer.Accounts.Email;
using IdentityServer.Tests.Infrastructure;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IdentityServer.Tests.Accounts;

/// <summary>Account mail leaves the request path: a hanging or failing mail server changes no answer and no response time.</summary>
public sealed class MailQueueTests
{
    // Only a guard against a hang (today's inline sending never answers while the mail server hangs), never a wait.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static WebApplicationFactory<Program> With(ServerFactory server, TestMailer mailer, LogCollector? logs = null) =>
        server.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddSingleton<IMailer>(mailer);
            if (logs is not null)
            {
                services.AddSingleton<ILoggerProvider>(logs);
            }
        }));

    private static Browser BrowserFor(WebApplicationFactory<Program> factory) =>
        new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private static Task<HttpResponseMessage> ForgotAsync(Browser browser, string email) =>
        People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = email }).WaitAsync(Guard);

    private static async Task<string> MainAsync(HttpResponseMessage response) => (await Browser.HtmlAsync(response)).QuerySelector("main")!.InnerHtml;

    [Fact]
    public async Task ForgotPasswordAnswersAtOnceAndAlikeWhileTheMailServerHangs()
    {
        var mailer = new TestMailer(held: true);
        using var server = new ServerFactory();
        await using var factory = With(server, mailer);
        using var browser = BrowserFor(factory);
        await ForgotAsync(browser, "warm-up@example.com");

        var clock = Stopwatch.StartNew();
        var known = await ForgotAsync(browser, "alice@example.com");
        var knownTime = clock.Elapsed;
        clock.Restart();
        var unknown = await ForgotAsync(browser, "nobody@example.com");
        var unknownTime = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(await MainAsync(unknown), await MainAsync(known));
        await mailer.AttemptStartedAsync(1).WaitAsync(Guard);
        Assert.Empty(mailer.Delivered);
        Assert.True(knownTime < TimeSpan.FromSeconds(5) && unknownTime < TimeSpan.FromSeconds(5), $"known {knownTime}, unknown {unknownTime}");

        mailer.Release();
        await People.MailSentAsync(factory.Services).WaitAsync(Guard);
        var mail = Assert.Single(mailer.Delivered);
        Assert.Equal("alice@example.com", mail.To);
        Assert.Contains("/Account/ResetPassword?", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingMailServerIsRetriedWithBackoffAndNoLinkIsLogged()
    {
        var mailer = new TestMailer(failures: 2);
        var logs = new LogCollector();
        using var server = new ServerFactory();
        server.Settings["IdentityServer:Accounts:Email:RetryDelay"] = "00:00:10";
        await using var factory = With(server, mailer, logs);
        using var browser = BrowserFor(factory);

        Assert.Equal(HttpStatusCode.OK, (await ForgotAsync(browser, "alice@example.com")).StatusCode);
        await mailer.AttemptStartedAsync(1).WaitAsync(Guard);
        server.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(mailer.AttemptStartedAsync(2).IsCompleted);
        server.Time.Advance(TimeSpan.FromSeconds(1));
        await mailer.AttemptStartedAsync(2).WaitAsync(Guard);
        server.Time.Advance(TimeSpan.FromSeconds(20));
        await People.MailSentAsync(factory.Services).WaitAsync(Guard);

        Assert.Equal(3, mailer.Attempts);
        var mail = Assert.Single(mailer.Delivered);
        var code = Regex.Match(mail.HtmlBody, "code=([^&\"]+)").Groups[1].Value;
        Assert.NotEmpty(code);
        Assert.Contains(logs.Entries, e => e.Contains("retrying", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Contains("ResetPassword", StringComparison.Ordinal) || e.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMailServerThatRefusesForGoodIsNotRetried()
    {
        var mailer = new TestMailer(failures: int.MaxValue, failure: () => new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "rejected"));
        using var server = new ServerFactory();
        await using var factory = With(server, mailer);
        using var browser = BrowserFor(factory);

        Assert.Equal(HttpStatusCode.OK, (await ForgotAsync(browser, "alice@example.com")).StatusCode);
        await People.MailSentAsync(factory.Services).WaitAsync(Guard);
        Assert.Equal(1, mailer.Attempts);
        Assert.Empty(mailer.Delivered);
    }

    [Fact]
    public async Task MailStillQueuedAtShutdownIsSent()
    {
        var mailer = new TestMailer(held: true);
        using var server = new ServerFactory();
        var factory = With(server, mailer);
        using (var browser = BrowserFor(factory))
        {
            await ForgotAsync(browser, "alice@example.com");
            await ForgotAsync(browser, "alice@example.com");
        }

        await mailer.AttemptStartedAsync(1).WaitAsync(Guard);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stopping.SetResult);
        var shutdown = factory.DisposeAsync().AsTask();
        await stopping.Task.WaitAsync(Guard);
        mailer.Release();
        await shutdown.WaitAsync(Guard);

        Assert.Equal(2, mailer.Delivered.Count);
    }
}
