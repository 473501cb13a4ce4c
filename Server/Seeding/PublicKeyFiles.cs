using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Seeding;

/// <summary>
/// A client's public keys may come from a PEM file (<c>PublicKeyFile</c>) instead of an inline JSON Web Key Set: the
/// form <c>openssl</c> and most key tools write. Each <c>PUBLIC KEY</c> (RSA or EC) or <c>RSA PUBLIC KEY</c> block
/// becomes one key of the client's set, named by its RFC 7638 thumbprint; a private key in the file stops start-up,
/// and the set then meets the same rules as an inline one (key sizes and curves).
/// Paths are relative to the content root, like the server's own key files.
/// </summary>
internal static class PublicKeyFiles
{
    /// <summary>Reads every declared file into its client's <see cref="DeclaredClient.LoadedJwks"/>; returns what could not be read, by key.</summary>
    public static List<string> Load(SeedOptions declared, string contentRoot)
    {
        var failures = new List<string>();
        for (var i = 0; i < declared.Clients.Count; i++)
        {
            var client = declared.Clients[i];
            if (string.IsNullOrWhiteSpace(client.PublicKeyFile) || client.Jwks is not null)
            {
                continue; // Both at once is DeclarationRules' to report.
            }

            var path = Path.GetFullPath(client.PublicKeyFile, contentRoot);
            try
            {
                var keys = KeySet(File.ReadAllText(path));
                if (DeclarationRules.KeySetProblem(keys) is { } problem)
                {
                    throw new FormatException("it " + problem);
                }

                client.LoadedJwks = keys;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or FormatException)
            {
                failures.Add($"{SeedOptions.Section}:Clients:{i}:{nameof(DeclaredClient.PublicKeyFile)}: cannot use '{path}': {e.Message}");
            }
        }

        return failures;
    }

    private static string KeySet(string pem)
    {
        var keys = new JsonArray();
        var rest = pem.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var der = Convert.FromBase64String(rest.Span[fields.Base64Data].ToString());
            keys.Add(label switch
            {
                "PUBLIC KEY" => FromSubjectPublicKeyInfo(der),
                "RSA PUBLIC KEY" => Rsa(der, pkcs1: true),
                _ when label.Contains("PRIVATE", StringComparison.Ordinal) => throw new FormatException("it holds a private key; give the server only the public keys."),
                _ => throw new FormatException($"a '{label}' block is not a public key (expected BEGIN PUBLIC KEY)."),
            });
            rest = rest[fields.Location.End..];
        }

        return keys.Count == 0
            ? throw new FormatException("it holds no PEM public key (-----BEGIN PUBLIC KEY-----).")
            : new JsonObject { ["keys"] = keys }.ToJsonString();
    }

    private static JsonObject FromSubjectPublicKeyInfo(byte[] der)
    {
        try
        {
            return Rsa(der, pkcs1: false);
        }
        catch (CryptographicException)
        {
            using var ec = ECDsa.Create();
            ec.ImportSubjectPublicKeyInfo(der, out _);
            return Describe(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ec)));
        }
    }

    private static JsonObject Rsa(byte[] der, bool pkcs1)
    {
        using var rsa = RSA.Create();
        if (pkcs1)
        {
            rsa.ImportRSAPublicKey(der, out _);
        }
        else
        {
            rsa.ImportSubjectPublicKeyInfo(der, out _);
        }

        return Describe(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false))));
    }

    private static JsonObject Describe(JsonWebKey key)
    {
        var json = new JsonObject { ["kty"] = key.Kty, ["use"] = "sig", ["kid"] = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()) };
        if (key.Kty == JsonWebAlgorithmsKeyTypes.RSA)
        {
            json["n"] = key.N;
            json["e"] = key.E;
        }
        else
        {
            json["crv"] = key.Crv;
            json["x"] = key.X;
            json["y"] = key.Y;
        }

        return json;
    }
}
