using IdentityServer.Data;
using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Accounts;

/// <summary>
/// Rejects passwords that are easy to guess (zxcvbn score below 3: common passwords, keyboard walks,
/// dictionary words with substitutions) or that contain the user name or email. No composition rules.
/// </summary>
internal sealed class PasswordPolicy : IPasswordValidator<ApplicationUser>
{
    public const int MaximumLength = 1024;

    // zxcvbn's matching grows with length; a long passphrase is judged on its first part.
    private const int EvaluatedLength = 100;

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(IdentityResult.Success);
        }

        if (password.Length > MaximumLength)
        {
            return Fail("PasswordTooLong", $"Passwords can be at most {MaximumLength} characters long.");
        }

        var inputs = new[] { user.UserName, user.Email, user.Email?.Split('@')[0], user.Name }
            .Where(v => v is { Length: >= 3 }).Cast<string>().ToList();
        if (inputs.Any(v => password.Contains(v, StringComparison.OrdinalIgnoreCase)))
        {
            return Fail("PasswordContainsAccountName", "Choose a password that does not contain your user name or email.");
        }

        var sample = password.Length > EvaluatedLength ? password[..EvaluatedLength] : password;
        if (Zxcvbn.Zxcvbn.MatchPassword(sample, inputs).Score < 3)
        {
            return Fail("PasswordTooGuessable", "This password is too common or too easy to guess. A few unrelated words make a strong one.");
        }

        return Task.FromResult(IdentityResult.Success);
    }

    private static Task<IdentityResult> Fail(string code, string description) =>
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = code, Description = description }));
}
