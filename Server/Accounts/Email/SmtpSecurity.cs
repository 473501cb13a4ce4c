namespace IdentityServer.Accounts.Email;

/// <summary>How the connection to the SMTP server is secured.</summary>
internal enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}
