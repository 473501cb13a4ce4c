using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Admin.Users;

/// <summary>
/// What an account made or changed through the API must be. User names, emails and passwords are also checked by
/// Identity's own validators (the same ones as sign-up, so the password policy holds); their errors are mapped to
/// the request body's fields.
/// </summary>
internal sealed class UserRules(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles)
{
    public static Dictionary<string, string[]> Check(UserInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (creating && (string.IsNullOrWhiteSpace(input.UserName) || input.UserName.Length > 256))
        {
            errors["userName"] = ["userName is required (256 characters at most)."];
        }

        if (input.Email is { } email && (email.Length > 254 || !email.Contains('@', StringComparison.Ordinal)))
        {
            errors["email"] = ["email must be an email address."];
        }

        if (input.Name is { Length: > 200 })
        {
            errors["name"] = ["name must be 200 characters or fewer."];
        }

        if (input.Roles.Count > 20 || input.Roles.Any(r => string.IsNullOrWhiteSpace(r) || r.Length > 64 || r.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))))
        {
            errors["roles"] = ["roles: at most 20, each 1 to 64 letters, digits, '-', '_' or '.'."];
        }

        if (!creating && input.Password is not null)
        {
            errors["password"] = ["a password is never set here: force a password reset, and the person chooses one through the email."];
        }

        return errors;
    }

    /// <summary>Makes the person's roles exactly <paramref name="wanted"/>, creating roles that do not exist yet.</summary>
    public async Task<IdentityResult> SetRolesAsync(ApplicationUser user, IEnumerable<string> wanted)
    {
        // Identity compares role names by their normalized (upper-case) form: so does this, or "Ops" and "OPS"
        // would be added twice (a duplicate key, a 500, and an account left behind without its audit row).
        var target = wanted.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var current = await users.GetRolesAsync(user);
        foreach (var role in target.Except(current, StringComparer.OrdinalIgnoreCase))
        {
            if (!await roles.RoleExistsAsync(role) && await roles.CreateAsync(new IdentityRole(role)) is { Succeeded: false } failed)
            {
                return failed;
            }
        }

        var added = target.Except(current, StringComparer.OrdinalIgnoreCase).ToList();
        var result = added.Count > 0 ? await users.AddToRolesAsync(user, added) : IdentityResult.Success;
        var removed = current.Except(target, StringComparer.OrdinalIgnoreCase).ToList();
        return result.Succeeded && removed.Count > 0 ? await users.RemoveFromRolesAsync(user, removed) : result;
    }

    /// <summary>Identity's errors under the field they are about (its codes say which).</summary>
    public static Dictionary<string, string[]> Errors(IdentityResult result) =>
        result.Errors.GroupBy(e => e.Code switch
        {
            var c when c.Contains("UserName", StringComparison.Ordinal) => "userName",
            var c when c.Contains("Email", StringComparison.Ordinal) => "email",
            var c when c.Contains("Password", StringComparison.Ordinal) => "password",
            var c when c.Contains("Role", StringComparison.Ordinal) => "roles",
            _ => "",
        }, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray(), StringComparer.Ordinal);
}
