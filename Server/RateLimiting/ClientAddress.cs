using System.Net;
using System.Net.Sockets;

namespace IdentityServer.RateLimiting;

internal static class ClientAddress
{
    /// <summary>
    /// The key a client address is counted under. An IPv6 host is usually given a whole /64, so that is
    /// the unit: otherwise one host could rotate through 2^64 addresses, each with a fresh budget.
    /// </summary>
    public static string Key(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "address:local";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "address:" + address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return "address:" + new IPAddress(bytes) + "/64";
    }
}
