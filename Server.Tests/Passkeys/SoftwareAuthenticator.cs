using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace IdentityServer.Tests.Passkeys;

/// <summary>
/// A platform authenticator plus the browser's part of WebAuthn, in software: it turns the options JSON that
/// ASP.NET Core Identity hands to <c>navigator.credentials.create()</c>/<c>get()</c> into what
/// <c>PublicKeyCredential.toJSON()</c> would post back, so server tests can register and sign in with passkeys
/// over the wire, and forge the parts a server must check. ES256 only, attestation "none".
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    private const byte UserPresentFlag = 0x01;
    private const byte UserVerifiedFlag = 0x04;
    private const byte BackupEligibleFlag = 0x08;
    private const byte BackedUpFlag = 0x10;
    private const byte AttestedCredentialDataFlag = 0x40;

    private readonly List<SoftwareCredential> _credentials = [];

    /// <summary>The credentials made so far, oldest first.</summary>
    public IReadOnlyList<SoftwareCredential> Credentials => _credentials;

    /// <summary>
    /// Makes a new credential for the options' user and returns the registration response JSON. Ignores
    /// excludeCredentials (a browser would refuse), so a test can register the same authenticator twice.
    /// </summary>
    public string Create(string creationOptionsJson, string origin, CreateSettings? s = null)
    {
        s ??= new CreateSettings();
        var options = Unwrap(creationOptionsJson);
        var credential = new SoftwareCredential(
            s.CredentialId ?? RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(16, 33)),
            Base64Url.DecodeFromChars(Text(options["user"]?["id"])),
            s.BackupEligible,
            s.BackedUp);
        _credentials.Add(credential);

        var flags = (byte)(UserPresentFlag | AttestedCredentialDataFlag | Flag(s.UserVerified, UserVerifiedFlag)
            | Flag(s.BackupEligible, BackupEligibleFlag) | Flag(s.BackedUp, BackedUpFlag));
        var authenticatorData = AuthenticatorData(s.RpId ?? Text(options["rp"]?["id"]), flags, 0, AttestedCredentialData(credential));
        var attestationObject = new Cbor().Map(3)
            .Text("fmt").Text("none")
            .Text("attStmt").Map(0)
            .Text("authData").Bytes(authenticatorData)
            .ToArray();
        var clientData = ClientData("webauthn.create", s.Challenge ?? Text(options["challenge"]), s.Origin ?? origin, crossOrigin: false);

        return Credential(credential, new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["attestationObject"] = Base64Url.EncodeToString(attestationObject),
            ["transports"] = new JsonArray("internal"),
        });
    }

    /// <summary>
    /// Signs the options' challenge with the first of our credentials in allowCredentials or, when that is empty
    /// (a discoverable sign-in), with <see cref="GetSettings.Credential"/> or the most recent credential.
    /// </summary>
    public string Get(string requestOptionsJson, string origin, GetSettings? s = null)
    {
        s ??= new GetSettings();
        var options = Unwrap(requestOptionsJson);
        var credential = Pick(options["allowCredentials"] as JsonArray, s.Credential);
        if (!s.ZeroSignCount)
        {
            credential.SignCount++;
        }

        var flags = (byte)(UserPresentFlag | Flag(s.UserVerified, UserVerifiedFlag)
            | Flag(credential.BackupEligible, BackupEligibleFlag) | Flag(credential.BackedUp, BackedUpFlag));
        var authenticatorData = AuthenticatorData(s.RpId ?? Text(options["rpId"]), flags, s.ZeroSignCount ? 0 : credential.SignCount, []);
        var clientData = ClientData("webauthn.get", s.Challenge ?? Text(options["challenge"]), s.Origin ?? origin, s.CrossOrigin);
        var signature = credential.Key.SignData(
            [.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        return Credential(credential, new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
            ["signature"] = Base64Url.EncodeToString(signature),
            ["userHandle"] = Base64Url.EncodeToString(credential.UserHandle),
        });
    }

    public void Dispose()
    {
        foreach (var credential in _credentials)
        {
            credential.Dispose();
        }
    }

    private SoftwareCredential Pick(JsonArray? allowCredentials, SoftwareCredential? chosen)
    {
        if (allowCredentials is { Count: > 0 })
        {
            var allowed = allowCredentials.Select(d => Text(d?["id"])).ToHashSet();
            return _credentials.FirstOrDefault(c => allowed.Contains(c.Id))
                ?? throw new InvalidOperationException("None of this authenticator's credentials is in allowCredentials.");
        }
        return chosen ?? _credentials.LastOrDefault() ?? throw new InvalidOperationException("The authenticator has no credential yet.");
    }

    // Identity returns the bare options; a server that follows the browser API may wrap them in "publicKey".
    private static JsonNode Unwrap(string optionsJson)
    {
        var root = JsonNode.Parse(optionsJson) ?? throw new ArgumentException("The options JSON is null.", nameof(optionsJson));
        return root["publicKey"] ?? root;
    }

    private static string Text(JsonNode? node) =>
        node?.GetValue<string>() ?? throw new ArgumentException("The options JSON lacks a required member.");

    private static byte Flag(bool on, byte flag) => on ? flag : (byte)0;

    private static byte[] ClientData(string type, string challenge, string origin, bool crossOrigin) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = type,
            ["challenge"] = challenge,
            ["origin"] = origin,
            ["crossOrigin"] = crossOrigin,
        }.ToJsonString());

    private static byte[] AuthenticatorData(string rpId, byte flags, uint signCount, byte[] attestedCredentialData)
    {
        var data = new byte[37 + attestedCredentialData.Length];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId), data);
        data[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33), signCount);
        attestedCredentialData.CopyTo(data, 37);
        return data;
    }

    // AAGUID (all zero: "none" attestation says nothing about the model), the id's length and the id, the COSE key.
    private static byte[] AttestedCredentialData(SoftwareCredential credential)
    {
        var point = credential.Key.ExportParameters(includePrivateParameters: false).Q;
        var coseKey = new Cbor().Map(5)
            .Int(1).Int(2)       // kty: EC2
            .Int(3).Int(-7)      // alg: ES256
            .Int(-1).Int(1)      // crv: P-256
            .Int(-2).Bytes(point.X)
            .Int(-3).Bytes(point.Y)
            .ToArray();
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)credential.RawId.Length);
        return [.. new byte[16], .. length, .. credential.RawId, .. coseKey];
    }

    private static string Credential(SoftwareCredential credential, JsonObject response) =>
        new JsonObject
        {
            ["id"] = credential.Id,
            ["rawId"] = credential.Id,
            ["type"] = "public-key",
            ["response"] = response,
            ["clientExtensionResults"] = new JsonObject(),
            ["authenticatorAttachment"] = "platform",
        }.ToJsonString();
}
