using System.Net;
using System.Net.Sockets;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// A loopback TCP proxy in front of the broker that can leave its connections half open: <see cref="CutBrokerSide"/>
/// closes each connection's broker side (the broker drops the connection and its consumers) and keeps the client's
/// side open and silent, so the client hears nothing until its heartbeats time out. Connections made after the cut
/// are forwarded as before.
/// </summary>
public sealed class HalfOpenProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _brokerHost;
    private readonly int _brokerPort;
    private readonly List<(TcpClient Client, TcpClient Broker)> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    public HalfOpenProxy(string brokerHost, int brokerPort)
    {
        (_brokerHost, _brokerPort) = (brokerHost, brokerPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Closes the broker side of every connection made so far; their client sides stay open and hear nothing more.</summary>
    public void CutBrokerSide()
    {
        lock (_connections)
        {
            foreach (var (_, broker) in _connections) broker.Dispose();
            _connections.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        var open = new List<TcpClient>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                open.Add(client);
                _ = ForwardAsync(client);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            foreach (var client in open) client.Dispose();
        }
    }

    /// <summary>Connects <paramref name="client"/> to the broker; a broker not up yet closes the client, as the broker would refuse it.</summary>
    private async Task ForwardAsync(TcpClient client)
    {
        var broker = new TcpClient();
        try
        {
            await broker.ConnectAsync(_brokerHost, _brokerPort, _stopping.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            broker.Dispose();
            client.Dispose();
            return;
        }
        lock (_connections) _connections.Add((client, broker));
        _ = PumpAsync(client.GetStream(), broker.GetStream());
        // The broker closing its side (a refused or closed connection) is passed on; a cut is not.
        _ = PumpAsync(broker.GetStream(), client.GetStream()).ContinueWith(_ =>
        {
            bool cut;
            lock (_connections) cut = !_connections.Contains((client, broker));
            if (!cut) client.Dispose();
        }, TaskScheduler.Default);
    }

    /// <summary>Copies until either side fails; a failure closes nothing, so a cut leaves the client's side open.</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, _stopping.Token);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        CutBrokerSide();
    }
}
