using System.Text.RegularExpressions;
using MimeKit;

namespace IdentityServer.Accounts.Email;

internal static partial class MessageBuilder
{
    public static MimeMessage Build(string from, string to, string subject, string htmlBody)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new BodyBuilder { HtmlBody = htmlBody, TextBody = Tags().Replace(htmlBody, "") }.ToMessageBody();
        return message;
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
