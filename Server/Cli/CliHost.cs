using IdentityServer.Admin;
using IdentityServer.Hosting;

namespace IdentityServer.Cli;

/// <summary>
/// The built server as the verbs see it: its services, environment and configuration, without starting it.
/// A verb that reads or writes data first brings the database to where start-up would (migrations, then the
/// clients, scopes and users declared in configuration), so configuration-managed entities are known as such.
/// </summary>
internal sealed class CliHost(WebApplication app)
{
    /// <summary>Who the audit trail records for a change made here: the operating-system account at the terminal.</summary>
    public static AdminActor Actor { get; } = new("cli:" + Environment.UserName, null);

    public IServiceProvider Services => app.Services;

    public IWebHostEnvironment HostEnvironment => app.Environment;

    public IConfiguration Configuration => app.Configuration;

    public async Task<AsyncServiceScope> ReadyAsync(CancellationToken ct)
    {
        await Services.GetRequiredService<DatabaseInitializer>().StartingAsync(ct);
        return Services.CreateAsyncScope();
    }
}
