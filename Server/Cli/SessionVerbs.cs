using System.CommandLine;
using IdentityServer.Admin.Console;
using IdentityServer.Admin.Sessions;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Cli;

/// <summary>
/// <c>sessions list [--user]</c> and <c>sessions end &lt;handle&gt;</c> / <c>sessions end --user &lt;name&gt;</c> (all of
/// theirs). Listing uses the console's query (every person's sessions); ending goes through the admin service, so what
/// the sessions granted is revoked, apps get their back-channel logout, and the audit trail records it.
/// </summary>
internal static class SessionVerbs
{
    private const int Size = 500;

    public static Command Create(CliHost host)
    {
        var sessions = new Command("sessions", "List live sign-in sessions; end one, or all of a person's.");
        var user = new Option<string?>("--user") { Description = "Only this person's sessions (user name)." };
        var list = new Command("list", "List live sessions, most recently used first.") { user };
        list.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            var rows = await AllAsync(scope.ServiceProvider.GetRequiredService<ConsoleSessions>(), parsed.GetValue(user), ct);
            return CliOutput.Print(parsed, rows, items => CliOutput.Table(items.Select(s => new[]
                { s.Handle, s.UserName, s.LastSeenAt.ToString("u"), s.IpAddress, s.UserAgent })));
        });

        var handle = new Argument<string?>("handle") { Description = "The session's handle, as 'sessions list' shows it.", Arity = ArgumentArity.ZeroOrOne };
        var end = new Command("end", "End one session (by handle), or every session of --user.") { handle, user };
        end.SetAction(async (parsed, ct) =>
        {
            var (one, owner) = (parsed.GetValue(handle), parsed.GetValue(user));
            if (one is null && owner is null)
            {
                throw new CliFailure("Name a session handle, or --user to end all of a person's sessions.", CliFailure.Usage);
            }

            await using var scope = await host.ReadyAsync(ct);
            var service = scope.ServiceProvider.GetRequiredService<AdminSessions>();
            int ended;
            if (one is null)
            {
                var person = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(owner!)
                    ?? throw AdminOutcome.NotFound($"user named '{owner}'");
                ended = AdminOutcome.Value(await service.EndAllAsync(person.Id, CliHost.Actor, ct), $"user named '{owner}'");
            }
            else
            {
                var rows = await AllAsync(scope.ServiceProvider.GetRequiredService<ConsoleSessions>(), owner, ct);
                var session = rows.FirstOrDefault(s => s.Handle == one) ?? throw AdminOutcome.NotFound($"live session with the handle '{one}'");
                ended = AdminOutcome.Value(await service.EndAsync(session.UserId, one, CliHost.Actor, ct), $"live session with the handle '{one}'");
            }

            return CliOutput.Print(parsed, new SessionsEnded(ended), r => [$"Ended {r.Ended} session(s)."]);
        });

        sessions.Add(list);
        sessions.Add(end);
        return sessions;
    }

    private static async Task<List<SessionRow>> AllAsync(ConsoleSessions sessions, string? userName, CancellationToken ct)
    {
        var all = new List<SessionRow>();
        for (var number = 1; ; number++)
        {
            var page = await sessions.ListAsync(userName, number, Size, ct);
            all.AddRange(page.Items);
            if (page.Items.Count < Size || all.Count >= page.Total)
            {
                return all;
            }
        }
    }
}
