using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace IdentityServer.Sessions;

/// <summary>
/// The cookie carries a random session id; the database keeps only its SHA-256, so a copy of the
/// database cannot be turned back into a cookie. Pages show a short prefix of the hash as a handle.
/// </summary>
internal static class SessionIds
{
    public const int HandleLength = 12;

    public static string NewId() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>A session's public id (the <c>sid</c> apps see): random, so nothing about it leads to the cookie.</summary>
    public static string NewSid() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

    public static string Hash(string id) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    public static string Handle(string hash) => hash[..HandleLength];

    public static bool IsHandle(string? value) =>
        value is { Length: HandleLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>A security stamp as kept next to a grant: a hash, so the stamp itself never leaves the user row.</summary>
    public static string StampHash(string? stamp) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes("stamp:" + stamp)))[..22];
}
