using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityServer.Accounts.Email;

/// <summary>Account mail: confirmation, reset and change-of-address messages (<c>IdentityServer:Accounts:Email</c>).</summary>
internal sealed class EmailOptions
{
    public const string Section = "IdentityServer:Accounts:Email";

    [Required(ErrorMessage = "a sender address is required.")]
    public string From { get; set; } = "IdentityServer <no-reply@localhost>";

    /// <summary>
    /// Folder that receives each message as an .eml file when no SMTP host is set. Development falls back to
    /// "mail"; anywhere else it is used only when set explicitly (a folder of reset links is not a mail server).
    /// </summary>
    public string? PickupDirectory { get; set; }

    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    [EnumDataType(typeof(SmtpSecurity), ErrorMessage = "use None, StartTls or SslOnConnect.")]
    public SmtpSecurity SmtpSecurity { get; set; } = SmtpSecurity.StartTls;

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>Messages waiting to be sent; beyond it a new message is dropped (and logged), never waited for.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Attempts per message, transient failures only; the delay doubles from <see cref="RetryDelay"/>.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}

[OptionsValidator]
internal sealed partial class EmailOptionsValidator : IValidateOptions<EmailOptions>;
