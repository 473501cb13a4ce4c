using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Accounts;

/// <summary>Registration, passwords and lockout (<c>IdentityServer:Accounts</c>).</summary>
internal sealed class AccountOptions
{
    public const string Section = "IdentityServer:Accounts";

    public bool AllowRegistration { get; set; } = true;

    /// <summary>New accounts must confirm their email before they can sign in.</summary>
    public bool RequireConfirmedEmail { get; set; } = true;

    /// <summary>At least 8 (NIST SP 800-63B's floor); 12 by default. Passwords up to 1,024 characters are accepted whatever this says.</summary>
    [Range(8, 1024)]
    public int MinimumPasswordLength { get; set; } = 12;

    /// <summary>Failed sign-ins before a temporary lockout.</summary>
    [Range(1, 1000)]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary><c>Standard</c> (PBKDF2 as Identity sets it) or <c>Fast</c> (one iteration; Development only).</summary>
    [EnumDataType(typeof(PasswordHashing), ErrorMessage = "use Standard or Fast.")]
    public PasswordHashing PasswordHashing { get; set; } = PasswordHashing.Standard;
}

[OptionsValidator]
internal sealed partial class AccountOptionsValidator : IValidateOptions<AccountOptions>;
