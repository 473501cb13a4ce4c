using System.Globalization;
using System.Text;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// Values of the shapes that break parsers — every byte 0x00–0xFF, control characters, invalid UTF-8,
/// very long and tricky strings — and the ways of writing them into a URL or a body, all drawn from one
/// seeded <see cref="Random"/> so a run replays.
/// </summary>
internal sealed class FuzzInput(Random random)
{
    private static readonly byte[][] InvalidUtf8 =
    [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC3], [0xE2, 0x82], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
        [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xFF, 0xFE],
    ];

    private static readonly string[] Tricky =
    [
        "", " ", "%", "%%", "%zz", "%0", "%00", "%u0041", "%C0%AF", "%E2%82", "+", "&", "=", "&&==", ";", "#", "?", "\\", "/",
        "//evil.example", "/\\evil.example", "\\\\evil.example", "http://evil.example/", "javascript:alert(1)", "data:text/html,x",
        "../../../etc/passwd", "null", "[]", "{}", "true", "-1", "0", "2147483648", "-9223372036854775809", "99999999999999999999999",
        "1000000000000", "1e308", "NaN", "0x10", "\0", "\r\n", "\r\nSet-Cookie: a=b", "<script>alert(1)</script>", "\"'<>`",
        "'; DROP TABLE AspNetUsers;--", "\uFEFF", "\uFFFD", "\uFFFF", "\uD83D\uDE00", "\u202E", "e\u0301", "İ", "ß", "\u00A0",
        "a\0b", " alice ", "ALICE", "alice@example.com", "alice@", "@", "a@b@c", "🙂@example.com", "openid openid", "  ",
    ];

    public bool Chance(double probability) => random.NextDouble() < probability;

    public int Next(int maxExclusive) => random.Next(maxExclusive);

    public int Between(int min, int maxExclusive) => random.Next(min, maxExclusive);

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>A value for a field: often a plausible one (so requests get past the first check), often not.</summary>
    public byte[] Value(IReadOnlyList<string> plausible, int maxLong = 64 * 1024) => random.Next(12) switch
    {
        0 or 1 or 2 when plausible.Count > 0 => Utf8(Pick(plausible)),
        3 when plausible.Count > 0 => Mutate(Utf8(Pick(plausible))),
        4 => Utf8(Pick(Tricky)),
        5 => Bytes(Between(1, 64), 0, 256),
        6 => Bytes(Between(1, 16), 0, 32),
        7 => Mixed(),
        8 => Utf8(Unicode(Between(1, 24))),
        9 => Long(plausible, maxLong),
        10 => Utf8(Pick(Tricky) + (plausible.Count > 0 ? Pick(plausible) : "") + Pick(Tricky)),
        _ => Bytes(Between(0, 12), 'a', 'z' + 1),
    };

    /// <summary>A parameter name: one the endpoint knows, a protocol name, or random bytes.</summary>
    public byte[] Name(IReadOnlyList<string> known) => random.Next(10) switch
    {
        < 6 when known.Count > 0 => Utf8(Chance(0.1) ? Mutate(Pick(known)) : Pick(known)),
        6 => Utf8(Pick(Tricky)),
        7 => Bytes(Between(1, 20), 0, 256),
        8 => Chance(0.2) ? Long([], 4096) : Mixed(),
        _ => Bytes(Between(1, 12), 'a', 'z' + 1),
    };

    public byte[] Bytes(int length, int min, int maxExclusive)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.Next(min, maxExclusive);
        }

        return bytes;
    }

    /// <summary>Bytes for a URL component: escaped as a browser would, every byte escaped, or raw with broken escapes.</summary>
    public string UrlComponent(byte[] value) => UrlComponent(value, random.Next(5));

    /// <summary>Bytes escaped the standard way (RFC 3986 unreserved characters left as they are).</summary>
    public string Escaped(byte[] value) => UrlComponent(value, 0);

    private string UrlComponent(byte[] value, int mode)
    {
        var text = new StringBuilder(value.Length * 3);
        foreach (var b in value)
        {
            var unreserved = b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';
            var printable = b is > 0x20 and < 0x7F and not (byte)'#';
            var raw = mode switch
            {
                0 => unreserved,
                1 => false,
                2 => printable,
                3 => unreserved || (b != ' ' && printable && Chance(0.5)),
                _ => printable && Chance(0.8),
            };
            if (mode == 3 && b == ' ')
            {
                text.Append('+');
            }
            else if (raw)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(Chance(0.5) ? b.ToString("X2", CultureInfo.InvariantCulture) : b.ToString("x2", CultureInfo.InvariantCulture));
            }

            if (mode == 4 && Chance(0.05))
            {
                text.Append(Pick(["%", "%4", "%G0", "%%", "%u00"]));
            }
        }

        return text.ToString();
    }

    /// <summary>Bytes for a form body: like a URL component, or left entirely raw (any byte, '&amp;' and '=' included).</summary>
    public byte[] FormComponent(byte[] value) => Chance(0.3) ? value : Encoding.ASCII.GetBytes(UrlComponent(value));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private string Mutate(string text) => Encoding.UTF8.GetString(Mutate(Utf8(text)));

    private byte[] Mutate(byte[] value)
    {
        var bytes = value.ToList();
        for (var edits = Between(1, 4); edits > 0; edits--)
        {
            var at = bytes.Count == 0 ? 0 : Next(bytes.Count + 1);
            switch (Next(4))
            {
                case 0 when bytes.Count > 0:
                    bytes.RemoveRange(Math.Min(at, bytes.Count - 1), Math.Min(Between(1, 8), bytes.Count - Math.Min(at, bytes.Count - 1)));
                    break;
                case 1:
                    bytes.InsertRange(at, Pick(InvalidUtf8));
                    break;
                case 2:
                    bytes.Insert(at, (byte)Next(256));
                    break;
                default:
                    bytes.InsertRange(at, Utf8(Pick(Tricky)));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>ASCII with control characters and invalid UTF-8 sequences mixed in.</summary>
    private byte[] Mixed()
    {
        var bytes = new List<byte>();
        for (var parts = Between(1, 6); parts > 0; parts--)
        {
            bytes.AddRange(Next(3) switch
            {
                0 => Pick(InvalidUtf8),
                1 => Bytes(Between(1, 4), 0, 32),
                _ => Bytes(Between(1, 8), 'a', 'z' + 1),
            });
        }

        return [.. bytes];
    }

    private string Unicode(int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            // Any code point outside the surrogate range, weighted toward the BMP.
            var codePoint = Chance(0.8) ? Next(0xD800) : Between(0xE000, 0x110000);
            text.Append(char.ConvertFromUtf32(codePoint));
        }

        return text.ToString();
    }

    /// <summary>A long value: one byte or a plausible value repeated, up to <paramref name="max"/> bytes.</summary>
    private byte[] Long(IReadOnlyList<string> plausible, int max)
    {
        var unit = plausible.Count > 0 && Chance(0.5) ? Utf8(Pick(plausible)) : [(byte)Next(256)];
        var length = Chance(0.7) ? Between(200, 3000) : Between(3000, Math.Max(3001, max));
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = unit.Length == 0 ? (byte)'a' : unit[i % unit.Length];
        }

        return bytes;
    }
}
