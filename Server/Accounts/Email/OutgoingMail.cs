namespace IdentityServer.Accounts.Email;

/// <summary>A message waiting in the queue. Its body may hold a single-use token: it is never logged.</summary>
internal sealed record OutgoingMail(string To, string Subject, string HtmlBody);
