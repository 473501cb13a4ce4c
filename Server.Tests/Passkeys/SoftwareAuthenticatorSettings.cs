using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace IdentityServer.Tests.Passkeys;

/// <summary>
/// What a test may change in <see cref="SoftwareAuthenticator.Create"/>. The defaults are a synced platform passkey
/// (user verified, backup eligible and backed up) answering the options honestly; the overrides forge the response.
/// </summary>
public sealed record CreateSettings
{
    public bool UserVerified { get; init; } = true;

    public bool BackupEligible { get; init; } = true;

    public bool BackedUp { get; init; } = true;

    /// <summary>The relying party id hashed into authenticatorData instead of the options' rp.id.</summary>
    public string? RpId { get; init; }

    /// <summary>The origin written into clientDataJSON instead of the <c>origin</c> argument.</summary>
    public string? Origin { get; init; }

    /// <summary>A base64url challenge written into clientDataJSON instead of the options' one.</summary>
    public string? Challenge { get; init; }

    /// <summary>The new credential's id instead of a random one (to claim an id another account holds).</summary>
    public byte[]? CredentialId { get; init; }
}

/// <summary>What a test may change in <see cref="SoftwareAuthenticator.Get"/>.</summary>
public sealed record GetSettings
{
    public bool UserVerified { get; init; } = true;

    /// <summary>
    /// Report a sign count of 0 and leave the counter alone, as many synced passkeys do: the server then cannot
    /// lean on the counter to notice a replay.
    /// </summary>
    public bool ZeroSignCount { get; init; }

    public bool CrossOrigin { get; init; }

    /// <summary>The relying party id hashed into authenticatorData instead of the options' rpId.</summary>
    public string? RpId { get; init; }

    /// <summary>The origin written into clientDataJSON instead of the <c>origin</c> argument.</summary>
    public string? Origin { get; init; }

    /// <summary>A base64url challenge written into clientDataJSON instead of the options' one.</summary>
    public string? Challenge { get; init; }

    /// <summary>
    /// The credential the person picks in the browser's account chooser when allowCredentials is empty; without it
    /// the most recent one answers.
    /// </summary>
    public SoftwareCredential? Credential { get; init; }
}

/// <summary>One ES256 key pair the authenticator made for a relying party and a user.</summary>
public sealed class SoftwareCredential(byte[] id, byte[] userHandle, bool backupEligible, bool backedUp) : IDisposable
{
    internal ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    internal byte[] RawId => id;

    internal byte[] UserHandle => userHandle;

    /// <summary>The credential id, base64url as in the JSON.</summary>
    public string Id => Base64Url.EncodeToString(id);

    /// <summary>The user id Identity put in user.id (UTF-8), which comes back as userHandle.</summary>
    public string UserId => Encoding.UTF8.GetString(userHandle);

    public bool BackupEligible => backupEligible;

    public bool BackedUp => backedUp;

    public uint SignCount { get; internal set; }

    public void Dispose() => Key.Dispose();
}
