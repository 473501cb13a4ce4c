using Microsoft.AspNetCore.Identity;

namespace IdentityServer.Accounts;

/// <summary>
/// Case-folds ASCII letters only. Identity's default (ToUpperInvariant) maps a dotless 'ı' to 'I', so
/// "alıce" would find "alice"; here look-alike characters never reach another account.
/// </summary>
internal sealed class AsciiLookupNormalizer : ILookupNormalizer
{
    public string? NormalizeName(string? name) => Fold(name);

    public string? NormalizeEmail(string? email) => Fold(email);

    private static string? Fold(string? value) => value is null ? null : string.Create(value.Length, value, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c is >= 'a' and <= 'z' ? (char)(c - 32) : c;
        }
    });
}
