using System.CommandLine;
using IdentityServer.Admin.Users;

namespace IdentityServer.Cli;

/// <summary>
/// <c>users add</c>. A password is read from stdin (<c>--password-stdin</c>), never from an argument that shell
/// history and process lists would keep; without one, the person sets it through the reset-password email.
/// </summary>
internal static class UserAdd
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("user-name") { Description = "The new account's user name." };
        var email = new Option<string?>("--email") { Description = "Email address." };
        var confirmed = new Option<bool>("--email-confirmed") { Description = "Treat the address as confirmed." };
        var display = new Option<string?>("--name") { Description = "The person's full name." };
        var roles = new Option<List<string>>("--role") { Description = "A role (repeat for several), e.g. admin.", Arity = ArgumentArity.OneOrMore };
        var password = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of stdin." };
        var add = new Command("add", "Create an account.") { name, email, confirmed, display, roles, password };
        add.SetAction(async (parsed, ct) =>
        {
            string? secret = null;
            if (parsed.GetValue(password))
            {
                secret = await Console.In.ReadLineAsync(ct);
                if (string.IsNullOrEmpty(secret))
                {
                    throw new CliFailure("--password-stdin: no password on stdin.");
                }
            }

            await using var scope = await host.ReadyAsync(ct);
            var input = new UserInput
            {
                UserName = parsed.GetRequiredValue(name),
                Email = parsed.GetValue(email),
                EmailConfirmed = parsed.GetValue(confirmed),
                Name = parsed.GetValue(display),
                Roles = parsed.GetValue(roles) ?? [],
                Password = secret,
            };
            var user = AdminOutcome.Value(await scope.ServiceProvider.GetRequiredService<AdminUsers>().CreateAsync(input, CliHost.Actor, ct), $"user named '{input.UserName}'");
            return CliOutput.Print(parsed, user, u => [$"Created user '{u.UserName}' ({u.Id})."]);
        });
        return add;
    }
}
