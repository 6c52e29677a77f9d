using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// Asks the broker how many consumers a queue has (a passive queue declare), on a connection of its own: MassTransit's
/// connection is the thing being checked. A queue that does not exist has none. A question unanswered within
/// <see cref="AnswerWithin"/> drops the connection (it may be half open), so the next one asks on a new one.
/// </summary>
public sealed class BrokerConsumerCounts(RabbitMqOptions options) : IAsyncDisposable
{
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

    private readonly ConnectionFactory _factory = new()
    {
        HostName = options.Host,
        Port = options.Port,
        VirtualHost = options.VirtualHost,
        UserName = options.Username,
        Password = options.Password,
        ClientProvidedName = "cascade consumer watchdog",
        AutomaticRecoveryEnabled = false,
        RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
    };
    private IConnection? _connection;

    /// <summary>The number of consumers on <paramref name="queue"/>; throws when the broker cannot be asked (unreachable, or going down).</summary>
    public async Task<uint> CountAsync(string queue, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerWithin);
        var question = AskAsync(queue, timeout.Token);
        try
        {
            // Not every step of the client honours the token on a half-open connection: the wait is bounded here too,
            // and a question still under way is left to end by itself.
            return await question.WaitAsync(AnswerWithin, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return 0;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.ResourceLocked)
        {
            // An exclusive queue: it lives only while its owner's connection is open, so it has that owner.
            return 1;
        }
        catch
        {
            _ = question.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            DropConnection();
            throw;
        }
    }

    private async Task<uint> AskAsync(string queue, CancellationToken cancellationToken)
    {
        if (_connection is not { IsOpen: true })
        {
            DropConnection();
            _connection = await _factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        // A channel per question: a passive declare of a missing queue closes its channel (404). Closed only after
        // an answer: closing waits for the broker's reply, which a half-open connection never brings.
        var channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var consumers = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false)).ConsumerCount;
        await channel.DisposeAsync().ConfigureAwait(false);
        return consumers;
    }

    /// <summary>
    /// Forgets the connection and closes it in the background: on a half-open connection the client's close (and its
    /// dispose, which waits for the reading loop) waits for a broker that never answers.
    /// </summary>
    private void DropConnection()
    {
        var connection = _connection;
        _connection = null;
        if (connection is not null) _ = AbortQuietlyAsync(connection);
    }

    private static async Task AbortQuietlyAsync(IConnection connection)
    {
        try
        {
            await connection.AbortAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationInterruptedException or System.Net.Sockets.SocketException)
        {
            // Already broken.
        }
    }

    public ValueTask DisposeAsync()
    {
        DropConnection();
        return ValueTask.CompletedTask;
    }
}
