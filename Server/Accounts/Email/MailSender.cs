using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace IdentityServer.Accounts.Email;

/// <summary>
/// Delivers queued account mail, one message at a time, retrying transient failures with a doubling delay.
/// At shutdown the queue is closed and every message still in it gets one more attempt (no waiting);
/// whatever the host's shutdown timeout cuts off is logged as dropped, by count. Nothing logged carries
/// a message body, so no link or token reaches the log.
/// </summary>
internal sealed partial class MailSender(MailQueue queue, IMailer mailer, TimeProvider time, IOptions<EmailOptions> options, IOptions<HostOptions> host, ILogger<MailSender> logger) : BackgroundService
{
    // Cancelled at the shutdown deadline: the send under way stops and the rest is skipped. It has no timer,
    // so it is left undisposed: the deadline may fire after the host has disposed this service.
    private readonly CancellationTokenSource abort = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Close();

        // Its own deadline, a little inside the host's shutdown timeout: the host may stop waiting for this
        // service without cancelling its token (seen under the test host), and the count must reach the log.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(host.Value.ShutdownTimeout * 0.9);
        using (deadline.Token.Register(DropTheRest))
        {
            await base.StopAsync(deadline.Token);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var aborted = abort.Token;

        // Not bound to stoppingToken: reading ends when the closed queue is empty, so nothing accepted is skipped.
        await foreach (var mail in queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (!aborted.IsCancellationRequested)
                {
                    await DeliverAsync(mail, stoppingToken, aborted);
                }
            }
            finally
            {
                queue.Settle();
            }
        }
    }

    /// <summary>What is unsettled at the deadline (the send under way included) is dropped, counted and logged at once.</summary>
    private void DropTheRest()
    {
        if (abort.IsCancellationRequested)
        {
            return;
        }

        var left = queue.Pending;
        abort.Cancel();
        if (left > 0)
        {
            LogDroppedAtShutdown(left);
        }
    }

    private async Task DeliverAsync(OutgoingMail mail, CancellationToken stopping, CancellationToken aborted)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= settings.MaxAttempts || stopping.IsCancellationRequested;
            var delay = settings.RetryDelay * Math.Pow(2, attempt - 1);

            // Armed before the attempt, so the retry comes `delay` after the failed attempt began (and a
            // test's fake clock, advanced while the attempt runs, releases it deterministically).
            using var retryWait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var retry = last ? Task.CompletedTask : Task.Delay(delay, time, retryWait.Token);
            try
            {
                await mailer.SendAsync(mail.To, mail.Subject, mail.HtmlBody, aborted);
                await retryWait.CancelAsync();
                return;
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (last || IsPermanent(e))
            {
                LogGaveUp(attempt, e);
                return;
            }
            catch (Exception e)
            {
                LogRetrying(attempt, delay, e);
            }

            try
            {
                await retry;
            }
            catch (OperationCanceledException)
            {
                // Shutting down: the next attempt is the last, and comes now.
            }
        }
    }

    /// <summary>The SMTP server refused for good (5xx), or the address cannot be written: trying again cannot help.</summary>
    private static bool IsPermanent(Exception e) =>
        e is SmtpCommandException { StatusCode: >= (SmtpStatusCode)500 } or ParseException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending an account email failed (attempt {Attempt}); retrying in {Delay}")]
    private partial void LogRetrying(int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "An account email could not be sent after {Attempts} attempt(s); it is dropped")]
    private partial void LogGaveUp(int attempts, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} account email(s) still queued at shutdown were dropped")]
    private partial void LogDroppedAtShutdown(int count);
}
