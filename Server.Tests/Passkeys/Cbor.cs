using System.Text;

namespace IdentityServer.Tests.Passkeys;

/// <summary>
/// The few CBOR items an attestation object and a COSE key need (RFC 8949), always in the shortest form: Identity
/// reads the key in CTAP2 canonical mode, which refuses longer heads. Map keys are written in the order given, so
/// the caller sorts them.
/// </summary>
internal sealed class Cbor
{
    private readonly List<byte> _bytes = [];

    public Cbor Map(int pairs) => Head(5, (ulong)pairs);

    public Cbor Int(long value) => value >= 0 ? Head(0, (ulong)value) : Head(1, (ulong)(-1 - value));

    public Cbor Bytes(ReadOnlySpan<byte> value)
    {
        Head(2, (ulong)value.Length);
        _bytes.AddRange(value);
        return this;
    }

    public Cbor Text(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        Head(3, (ulong)utf8.Length);
        _bytes.AddRange(utf8);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    private Cbor Head(int major, ulong argument)
    {
        var (additional, length) = argument switch
        {
            < 24 => ((int)argument, 0),
            <= byte.MaxValue => (24, 1),
            <= ushort.MaxValue => (25, 2),
            <= uint.MaxValue => (26, 4),
            _ => (27, 8),
        };
        _bytes.Add((byte)((major << 5) | additional));
        for (var i = length - 1; i >= 0; i--)
        {
            _bytes.Add((byte)(argument >> (8 * i)));
        }
        return this;
    }
}
