namespace IdentityServer.Admin.Users;

/// <summary>What a lock, 2FA reset or forced password reset did: the account after it, and how many sessions ended.</summary>
/// <param name="ResetEmailSent">For a forced password reset: whether the reset-password email was queued (only to a confirmed address).</param>
internal sealed record UserActionResult(UserView User, int SessionsEnded, bool? ResetEmailSent = null);
