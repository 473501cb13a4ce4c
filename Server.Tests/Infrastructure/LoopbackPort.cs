using System.Net;
using System.Net.Sockets;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>A TCP port on loopback that nothing listens on right now, for a test's own server.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
