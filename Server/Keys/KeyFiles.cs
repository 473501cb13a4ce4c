using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Keys;

/// <summary>
/// Loads the server's private keys from PEM files. In Development (or with GenerateMissing) a missing
/// default file in the keys folder is generated once and reused at every start, so tokens keep validating across restarts.
/// </summary>
internal sealed class KeyFiles(KeyOptions options, string contentRoot, bool generate)
{
    public RsaSecurityKey RsaSigningKey() =>
        Load(options.RsaSigningKeyFile, "signing-rsa.pem", () => RSA.Create(2048), pem => { var k = RSA.Create(); k.ImportFromPem(pem); return k; },
            rsa => new RsaSecurityKey(rsa));

    public ECDsaSecurityKey EcdsaSigningKey() =>
        Load(options.EcdsaSigningKeyFile, "signing-ecdsa.pem", () => ECDsa.Create(ECCurve.NamedCurves.nistP256), pem => { var k = ECDsa.Create(); k.ImportFromPem(pem); return k; },
            ecdsa => new ECDsaSecurityKey(ecdsa));

    public RsaSecurityKey EncryptionKey() =>
        Load(options.EncryptionKeyFile, "encryption-rsa.pem", () => RSA.Create(2048), pem => { var k = RSA.Create(); k.ImportFromPem(pem); return k; },
            rsa => new RsaSecurityKey(rsa));

    /// <summary>
    /// The signing key file for an algorithm (configured, or the default one in the keys folder) when it exists:
    /// rotation imports it as the first active key, so tokens issued before the switch keep validating.
    /// </summary>
    public string? ExistingSigningPem(string algorithm)
    {
        var (configured, name) = algorithm == nameof(SigningAlgorithm.ES256) ? (options.EcdsaSigningKeyFile, "signing-ecdsa.pem") : (options.RsaSigningKeyFile, "signing-rsa.pem");
        var path = PathOf(configured, name);
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }

        return configured is null ? null : throw new InvalidOperationException($"Key file '{path}' (configured in {KeyOptions.Section}) does not exist.");
    }

    private TKey Load<TAlg, TKey>(string? configured, string defaultName, Func<TAlg> create, Func<string, TAlg> import, Func<TAlg, TKey> wrap)
        where TAlg : AsymmetricAlgorithm
        where TKey : AsymmetricSecurityKey
    {
        var path = PathOf(configured, defaultName);
        if (!File.Exists(path))
        {
            // Only the default files in the keys folder are ever generated: a configured path that is missing is a mistake.
            if (!generate || configured is not null)
            {
                throw new InvalidOperationException(configured is null
                    ? $"Key file '{path}' does not exist. Provide it, or set {KeyOptions.Section}:GenerateMissing to true."
                    : $"Key file '{path}' (configured in {KeyOptions.Section}) does not exist.");
            }

            WriteNew(path, create);
        }

        TAlg algorithm;
        try
        {
            algorithm = import(File.ReadAllText(path));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"Key file '{path}' is not a PEM private key of the expected type: {e.Message}", e);
        }

        var key = wrap(algorithm);

        // A stable kid (RFC 7638 thumbprint) lets APIs keep the key they cached across restarts.
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromSecurityKey(key).ComputeJwkThumbprint());
        return key;
    }

    /// <summary>A configured file (relative to the content root), or the default file in the keys folder.</summary>
    private string PathOf(string? configured, string defaultName) =>
        Path.GetFullPath(Path.Combine(contentRoot, configured ?? Path.Combine(options.Directory, defaultName)));

    private static void WriteNew<TAlg>(string path, Func<TAlg> create)
        where TAlg : AsymmetricAlgorithm
    {
        var folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var algorithm = create();
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";

        // Owner-only from the moment the file exists: created with mode 0600, never written first and chmod-ed after.
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temp, Encoding.ASCII, fileOptions))
        {
            writer.Write(algorithm.ExportPkcs8PrivateKeyPem());
        }

        try
        {
            // Never overwrite: when two processes race, the first key written wins and both use it.
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
        }
    }
}
