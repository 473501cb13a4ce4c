namespace IdentityServer.Accounts.Email;

/// <summary>Sends one message. The body is HTML; a plain-text part is derived from it.</summary>
internal interface IMailer
{
    Task SendAsync(string to, string subject, string htmlBody, CancellationToken cancellationToken);
}
