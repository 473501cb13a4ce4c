using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace IdentityServer.Accounts.Email;

/// <summary>
/// An address the mailer can actually address a message to. DataAnnotations' [EmailAddress] accepts text
/// MimeKit cannot parse; such an address would fail later, in the background sender, instead of on the form.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DeliverableEmailAttribute : ValidationAttribute
{
    public DeliverableEmailAttribute() : base("That is not an email address.")
    {
    }

    public override bool IsValid(object? value) =>
        value is not string text || text.Length == 0 || (MailboxAddress.TryParse(text, out var address) && address.Address == text.Trim());
}
