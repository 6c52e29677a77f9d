using System.Net;
using System.Net.Sockets;

namespace Cascade.Services.Tests.Fixtures;

public static class LoopbackPorts
{
    /// <summary>A TCP port free on this machine right now (the OS's pick), for a process or container to bind next.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
