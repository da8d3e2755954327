using System.Net;
using System.Net.Sockets;

namespace InMail.Integration.Tests.Postgres;

/// <summary>
/// A TCP relay between the service and PostgreSQL that a test can cut (every connection dropped, new ones closed
/// at once: the database is unreachable, as after a network fault or a restart) and restore.
/// </summary>
public sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private volatile bool _cut;

    public CuttableProxy(string host, int port)
    {
        _host = host;
        _port = port;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Where to connect instead of the database.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every relayed connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }
            _open.Clear();
        }
    }

    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (_cut)
            {
                client.Dispose();
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_host, _port, _stop.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(upstream);
            }
            var a = client.GetStream().CopyToAsync(upstream.GetStream(), _stop.Token);
            var b = upstream.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // a cut, or the end of the test
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
