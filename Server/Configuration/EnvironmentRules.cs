using IdentityServer.Accounts;
using IdentityServer.Keys;

namespace IdentityServer.Configuration;

/// <summary>
/// The rules no single feature's options can check alone: what outside Development must be set explicitly
/// (the issuer, key files, a mail server), where Development would derive or generate it.
/// </summary>
internal static class EnvironmentRules
{
    public static IEnumerable<string> Check(ServerSettings settings, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            yield break;
        }

        if (settings.Oidc.Issuer is null)
        {
            yield return "IdentityServer:Issuer: an explicit issuer URI is required outside Development.";
        }

        var keys = settings.Keys;
        if (!keys.GenerateMissing)
        {
            // With rotation on, the signing keys live in the database (a configured file is imported once); only
            // the encryption key, which protects them and the Data Protection key ring, must come from a file.
            var rotating = settings.KeyRotation.Enabled;
            var required = new List<(string? File, string Name)> { (keys.EncryptionKeyFile, nameof(keys.EncryptionKeyFile)) };
            if (!rotating)
            {
                required.Add((keys.RsaSigningKeyFile, nameof(keys.RsaSigningKeyFile)));
            }

            if (!rotating && keys.AccessTokenSigningAlgorithm == SigningAlgorithm.ES256)
            {
                required.Add((keys.EcdsaSigningKeyFile, nameof(keys.EcdsaSigningKeyFile)));
            }

            foreach (var (file, name) in required)
            {
                if (string.IsNullOrWhiteSpace(file))
                {
                    yield return $"{KeyOptions.Section}:{name}: a key file is required outside Development (or set {KeyOptions.Section}:GenerateMissing).";
                }
            }
        }

        // A folder of live reset links is a development convenience, never the silent fallback of a real server.
        if (string.IsNullOrWhiteSpace(settings.Email.SmtpHost) && string.IsNullOrWhiteSpace(settings.Email.PickupDirectory))
        {
            yield return $"IdentityServer:Accounts:Email:SmtpHost: account mail (confirmation, password reset) needs an SMTP host outside Development, or IdentityServer:Accounts:Email:PickupDirectory to write each message to a file.";
        }

        // With one PBKDF2 iteration, guessing a password from a stolen database costs an attacker one HMAC a guess.
        if (settings.Accounts.PasswordHashing == PasswordHashing.Fast)
        {
            yield return $"{AccountOptions.Section}:PasswordHashing: 'Fast' is for Development only (a password hashed with one iteration is cheap to guess); use Standard.";
        }
    }
}
