using IdentityServer.Accounts.Email;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>
/// Stands in for the SMTP server: it can hang until released, fail its first attempts, and says when each
/// attempt starts, so tests wait on signals instead of sleeping.
/// </summary>
internal sealed class TestMailer(bool held = false, int failures = 0, Func<Exception>? failure = null) : IMailer
{
    private readonly TaskCompletionSource released = NewSignal(done: !held);
    private readonly Lock gate = new();
    private readonly Dictionary<int, TaskCompletionSource> started = [];
    private readonly List<OutgoingMail> delivered = [];
    private int attempts;

    public int Attempts
    {
        get
        {
            lock (gate)
            {
                return attempts;
            }
        }
    }

    public IReadOnlyList<OutgoingMail> Delivered
    {
        get
        {
            lock (gate)
            {
                return [.. delivered];
            }
        }
    }

    public void Release() => released.TrySetResult();

    /// <summary>Completes when attempt <paramref name="number"/> (1-based, across all messages) has begun.</summary>
    public Task AttemptStartedAsync(int number) => Started(number).Task;

    public async Task SendAsync(string to, string subject, string htmlBody, CancellationToken cancellationToken)
    {
        int number;
        lock (gate)
        {
            number = ++attempts;
        }

        Started(number).TrySetResult();
        await released.Task.WaitAsync(cancellationToken);
        if (number <= failures)
        {
            throw failure?.Invoke() ?? new InvalidOperationException("The test mail server is down.");
        }

        lock (gate)
        {
            delivered.Add(new OutgoingMail(to, subject, htmlBody));
        }
    }

    private TaskCompletionSource Started(int number)
    {
        lock (gate)
        {
            if (!started.TryGetValue(number, out var signal))
            {
                started[number] = signal = NewSignal(done: false);
            }

            return signal;
        }
    }

    private static TaskCompletionSource NewSignal(bool done)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (done)
        {
            signal.SetResult();
        }

        return signal;
    }
}
