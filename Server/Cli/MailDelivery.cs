using IdentityServer.Accounts.Email;

namespace IdentityServer.Cli;

/// <summary>
/// Account mail is queued and sent by a hosted service, which a verb does not start: a verb that sends mail runs
/// the sender for as long as it works, and stopping it delivers what was queued before the process exits.
/// </summary>
internal sealed class MailDelivery(MailSender sender) : IAsyncDisposable
{
    public static async Task<MailDelivery> StartAsync(CliHost host, CancellationToken ct)
    {
        var sender = host.Services.GetServices<IHostedService>().OfType<MailSender>().Single();
        await sender.StartAsync(ct);
        return new MailDelivery(sender);
    }

    public async ValueTask DisposeAsync() => await sender.StopAsync(CancellationToken.None);
}
