using System.CommandLine;
using IdentityServer.Admin;
using IdentityServer.Admin.Users;
using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Cli;

/// <summary>
/// <c>users list|show|add|lock|unlock|reset-password|remove</c>, by user name, through the admin API's own service:
/// audited, and users declared in configuration refused where the API refuses them.
/// </summary>
internal static class UserVerbs
{
    public static Command Create(CliHost host)
    {
        var users = new Command("users", "List, show, add, lock, unlock and remove accounts; force a password reset.");
        var query = new Option<string?>("--query") { Description = "Only accounts whose user name, email or name contains this." };
        var list = new Command("list", "List the accounts.") { query };
        list.SetAction(async (parsed, ct) =>
        {
            await using var scope = await host.ReadyAsync(ct);
            var service = scope.ServiceProvider.GetRequiredService<AdminUsers>();
            var all = await Pages.AllAsync((page, c) => service.SearchAsync(page with { Query = parsed.GetValue(query) }, c), ct);
            return CliOutput.Print(parsed, all, items => CliOutput.Table(items.Select(u => new[] { u.UserName, u.LockedOut ? "locked" : "active", u.ManagedBy, u.Email })));
        });

        var name = new Argument<string>("user-name") { Description = "The account's user name." };
        var show = new Command("show", "Show one account.") { name };
        show.SetAction((parsed, ct) => RunAsync<UserView>(host, parsed, name, async (service, id) =>
            new AdminResult<UserView>.Done((await service.FindAsync(id, ct))!), Describe, ct));

        var remove = new Command("remove", "Delete an account; its sessions end and its grants are revoked.") { name };
        remove.SetAction((parsed, ct) => RunAsync(host, parsed, name, (service, id) => service.DeleteAsync(id, CliHost.Actor, ct),
            u => [$"Removed user '{u.UserName}'."], ct));

        var lockUser = new Command("lock", "Lock an account: its sessions end and its refresh tokens are revoked.") { name };
        lockUser.SetAction((parsed, ct) => RunAsync(host, parsed, name, (service, id) => service.LockAsync(id, CliHost.Actor, ct),
            r => [$"Locked user '{r.User.UserName}'; {r.SessionsEnded} session(s) ended."], ct));

        var unlock = new Command("unlock", "Unlock an account and reset its failed sign-in count.") { name };
        unlock.SetAction((parsed, ct) => RunAsync(host, parsed, name, (service, id) => service.UnlockAsync(id, CliHost.Actor, ct),
            r => [$"Unlocked user '{r.User.UserName}'."], ct));

        var reset = new Command("reset-password",
            "Remove the password, end every session, and email a reset link to a confirmed address; the person chooses a new password.") { name };
        reset.SetAction((parsed, ct) => RunAsync(host, parsed, name, async (service, id) =>
        {
            await using var mail = await MailDelivery.StartAsync(host, ct);
            return await service.ForcePasswordResetAsync(id, CliHost.Actor, ct);
        },
            r => [$"Removed the password of '{r.User.UserName}'; {r.SessionsEnded} session(s) ended; "
                + (r.ResetEmailSent == true ? "reset email sent." : "no reset email (no confirmed address).")], ct));

        users.Add(list);
        users.Add(show);
        users.Add(UserAdd.Create(host));
        users.Add(lockUser);
        users.Add(unlock);
        users.Add(reset);
        users.Add(remove);
        return users;
    }

    public static IEnumerable<string> Describe(UserView u) =>
    [
        $"User name:      {u.UserName}",
        $"Id:             {u.Id}",
        $"Email:          {u.Email ?? "-"}{(u.EmailConfirmed ? " (confirmed)" : "")}",
        $"Name:           {u.Name ?? "-"}",
        $"Roles:          {(u.Roles.Count == 0 ? "-" : string.Join(' ', u.Roles))}",
        $"Password:       {(u.HasPassword ? "set" : "none")}",
        $"Two-factor:     {(u.TwoFactorEnabled ? "on" : "off")}",
        $"Locked out:     {(u.LockedOut ? "yes" : "no")}",
        $"Managed by:     {u.ManagedBy}",
    ];

    /// <summary>Finds the account by name, runs the admin service's action on its id, and prints the outcome.</summary>
    private static async Task<int> RunAsync<T>(CliHost host, ParseResult parsed, Argument<string> name,
        Func<AdminUsers, string, Task<AdminResult<T>>> act, Func<T, IEnumerable<string>> text, CancellationToken ct)
    {
        await using var scope = await host.ReadyAsync(ct);
        var userName = parsed.GetRequiredValue(name);
        var what = $"user named '{userName}'";
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(userName) ?? throw AdminOutcome.NotFound(what);
        var value = AdminOutcome.Value(await act(scope.ServiceProvider.GetRequiredService<AdminUsers>(), user.Id), what);
        return CliOutput.Print(parsed, value, text);
    }
}
