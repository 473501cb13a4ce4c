using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace IdentityServer.Accounts.Email;

/// <summary>
/// Account mail leaves the request at once: pages enqueue, <see cref="MailSender"/> delivers in the
/// background, so a slow or unreachable SMTP server changes no response time (and so reveals nothing).
/// Bounded: when full, a message is dropped (and counted in the log) rather than holding the request.
/// </summary>
internal sealed partial class MailQueue(IOptions<EmailOptions> options, ILogger<MailQueue> logger)
{
    private readonly Channel<OutgoingMail> channel = Channel.CreateBounded<OutgoingMail>(
        new BoundedChannelOptions(Math.Max(1, options.Value.QueueCapacity)) { SingleReader = true });

    private readonly Lock gate = new();
    private int pending;
    private bool closed;
    private TaskCompletionSource idle = Completed();

    public ChannelReader<OutgoingMail> Reader => channel.Reader;

    /// <summary>Messages accepted and not yet settled (the one being sent included).</summary>
    public int Pending
    {
        get
        {
            lock (gate)
            {
                return pending;
            }
        }
    }

    public void Enqueue(OutgoingMail mail)
    {
        lock (gate)
        {
            if (!channel.Writer.TryWrite(mail))
            {
                LogDropped(closed ? "the server is shutting down" : "the mail queue is full");
                return;
            }

            if (pending++ == 0)
            {
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>A message was delivered, given up on, or dropped at shutdown.</summary>
    public void Settle()
    {
        lock (gate)
        {
            if (--pending == 0)
            {
                idle.TrySetResult();
            }
        }
    }

    /// <summary>Completes once every message enqueued so far is settled (tests wait on it instead of sleeping).</summary>
    public Task WhenIdleAsync()
    {
        lock (gate)
        {
            return idle.Task;
        }
    }

    /// <summary>At shutdown: nothing more is accepted; what is queued is still read.</summary>
    public void Close()
    {
        lock (gate)
        {
            closed = true;
            channel.Writer.TryComplete();
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An account email was dropped: {Reason}")]
    private partial void LogDropped(string reason);
}
