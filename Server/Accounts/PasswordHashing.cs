namespace IdentityServer.Accounts;

/// <summary>How hard the server works to hash a password (<c>IdentityServer:Accounts:PasswordHashing</c>).</summary>
internal enum PasswordHashing
{
    /// <summary>Identity's PBKDF2 (HMAC-SHA512, 100,000 iterations): what every real server uses.</summary>
    Standard,

    /// <summary>
    /// PBKDF2 with <see cref="PasswordHashingProfiles.FastIterations"/> iteration: still salted and verifiable, but as
    /// cheap as a hash can be, for a developer who creates accounts by the hundred. Development only.
    /// </summary>
    Fast,
}
