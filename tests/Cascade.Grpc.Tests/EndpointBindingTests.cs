using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Cascade.Grpc.Tests;

/// <summary>The gRPC port listens where HTTP does: bound to loopback, it is not reachable from other interfaces.</summary>
[Collection(GrpcHostCollection.Name)]
public class EndpointBindingTests(GrpcHostFixture host)
{
    [Fact]
    public void With_http_on_127_0_0_1_every_bound_address_is_loopback()
    {
        host.Host.BoundAddresses.Should().Contain(a => a.EndsWith($":{host.GrpcPort}"));
        foreach (var address in host.Host.BoundAddresses)
            IPAddress.IsLoopback(IPAddress.Parse(new Uri(address).Host.Trim('[', ']'))).Should().BeTrue(address);
    }

    [Fact]
    public async Task Grpc_port_refuses_connections_on_a_non_loopback_interface()
    {
        var outside = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .ToList();
        if (outside.Count == 0) return; // A machine with loopback only has nothing to test this on.

        using var client = new TcpClient();
        var connect = async () => await client.ConnectAsync(outside[0], host.GrpcPort).WaitAsync(TimeSpan.FromSeconds(5));
        await connect.Should().ThrowAsync<SocketException>($"gRPC is bound to 127.0.0.1 only, not {outside[0]}");
    }
}
