using System.Net;
using System.Net.Sockets;

namespace IdentityServer.ClientMetadata;

/// <summary>
/// Which addresses this server may fetch a client's document from: public unicast addresses only. Private,
/// loopback, link-local (the cloud metadata services live there), shared, multicast and reserved ranges are
/// refused, whether the URL names them or a host name resolves to them; loopback is let through only when
/// loopback documents are allowed (tests, local development).
/// </summary>
internal static class AddressPolicy
{
    private static readonly (byte[] Prefix, int Bits)[] RefusedV4 =
    [
        ([0, 0, 0, 0], 8),         // "this network"
        ([10, 0, 0, 0], 8),        // private
        ([100, 64, 0, 0], 10),     // carrier-grade NAT
        ([169, 254, 0, 0], 16),    // link-local, cloud metadata (169.254.169.254)
        ([172, 16, 0, 0], 12),     // private
        ([192, 0, 0, 0], 24),      // IETF protocol assignments
        ([192, 0, 2, 0], 24),      // documentation
        ([192, 88, 99, 0], 24),    // 6to4 relay
        ([192, 168, 0, 0], 16),    // private
        ([198, 18, 0, 0], 15),     // benchmarking
        ([198, 51, 100, 0], 24),   // documentation
        ([203, 0, 113, 0], 24),    // documentation
        ([224, 0, 0, 0], 4),       // multicast
        ([240, 0, 0, 0], 4),       // reserved, broadcast
    ];

    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => !RefusedV4.Any(r => InPrefix(address.GetAddressBytes(), r.Prefix, r.Bits)),
            AddressFamily.InterNetworkV6 => IsAllowedV6(address, allowLoopback),
            _ => false,
        };
    }

    private static bool IsAllowedV6(IPAddress address, bool allowLoopback)
    {
        var bytes = address.GetAddressBytes();
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.Equals(IPAddress.IPv6Any)
            || (bytes[0] & 0xfe) == 0xfc                                  // unique local fc00::/7 (fd00:ec2::254 is a metadata address)
            || InPrefix(bytes, [0x20, 0x01, 0x0d, 0xb8], 32)               // documentation
            || InPrefix(bytes, [0x01, 0x00, 0, 0, 0, 0, 0, 0], 64))        // discard-only
        {
            return false;
        }

        // Addresses that carry an IPv4 address inside them are judged by it: NAT64 (64:ff9b::/96), 6to4 (2002::/16), IPv4-compatible (::/96).
        if (InPrefix(bytes, [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96) || InPrefix(bytes, new byte[12], 96))
        {
            return IsAllowed(new IPAddress(bytes[12..16]), allowLoopback);
        }

        if (InPrefix(bytes, [0x20, 0x02], 16))
        {
            return IsAllowed(new IPAddress(bytes[2..6]), allowLoopback);
        }

        return true;
    }

    private static bool InPrefix(byte[] address, byte[] prefix, int bits)
    {
        for (var i = 0; i < bits; i++)
        {
            var mask = 0x80 >> (i % 8);
            if ((address[i / 8] & mask) != (prefix[i / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
