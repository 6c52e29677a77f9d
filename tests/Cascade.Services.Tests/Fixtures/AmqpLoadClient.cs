using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// A plain AMQP client of the <c>cascade.submissions</c> front door (RabbitMQ.Client, no MassTransit), as a user
/// would write one: publishes <c>{"clientRequestId","imageBase64","replyTo"}</c> at a steady rate with publisher
/// confirms, reads the raw JSON results from its own durable reply queue (acknowledging each after it is
/// recorded), and when the connection breaks it reconnects and republishes every id that has no final result yet,
/// under the same client request id. It runs until every id has a final result or the deadline passes. Each id's
/// latency runs from its first publish to its first final result. It paces its publishes at a fixed rate (an open
/// loop, <see cref="RunAsync"/>) or keeps a fixed number unanswered (a closed loop, <see cref="RunClosedLoopAsync"/>).
/// </summary>
public sealed class AmqpLoadClient(string host, int port, string replyQueue) : IAsyncDisposable
{
    public const string SubmissionsQueue = "cascade.submissions";
    private static readonly BasicProperties Persistent = new() { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    private readonly ConnectionFactory _factory = new()
    {
        HostName = host,
        Port = port,
        UserName = "guest",
        Password = "guest",
        // Recovery is this client's own (reconnect, redeclare, republish), so it is visible and counted.
        AutomaticRecoveryEnabled = false,
        TopologyRecoveryEnabled = false,
        ClientProvidedName = $"cascade-fault-load {replyQueue}",
    };
    // One connection, one channel; reconnecting (and republishing) holds the turn, publishes in between share the channel.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConcurrentDictionary<string, byte[]> _published = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<AmqpResult>> _results = new();
    private readonly ConcurrentDictionary<string, long> _firstPublished = new();
    private readonly ConcurrentDictionary<string, long> _firstAnswered = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private IConnection? _connection;
    private IChannel? _channel;
    private int _connections;
    private int _republished;
    private int _notFinal;
    private int _publishedCount;
    // The closed loop's free places: taken before a publish, given back by each id's first final result.
    private SemaphoreSlim? _inFlight;

    /// <summary>Completes once <paramref name="count"/> submissions were published (confirmed) for the first time.</summary>
    public async Task WhenPublished(int count, Task run)
    {
        while (Volatile.Read(ref _publishedCount) < count)
        {
            if (run.IsCompleted) { await run; throw new InvalidOperationException($"The load ended after {_publishedCount} of {count} submissions."); }
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Publishes every submission, <paramref name="perSecond"/> a second, then waits for the missing final results
    /// for up to <paramref name="answerWithin"/> after the last one. A broker that stays away ends the run at that
    /// deadline too: what was not published by then counts as never answered.
    /// </summary>
    public Task<AmqpLoadReport> RunAsync(IReadOnlyList<AmqpSubmission> submissions, double perSecond, TimeSpan answerWithin, CancellationToken cancellationToken) =>
        RunAsync(submissions, TimeSpan.FromSeconds(submissions.Count / perSecond) + answerWithin, answerWithin, async (i, watch, token) =>
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - watch.Elapsed;
            if (due > TimeSpan.Zero) await Task.Delay(due, token);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Publishes every submission while keeping <paramref name="inFlight"/> without a final result (a closed loop:
    /// the throughput the services sustain). A place that stays taken for <paramref name="answerWithin"/> ends the
    /// publishing; what was not published by then counts as never answered.
    /// </summary>
    public Task<AmqpLoadReport> RunClosedLoopAsync(IReadOnlyList<AmqpSubmission> submissions, int inFlight, TimeSpan answerWithin, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFlight, 1);
        if (_inFlight is not null) throw new InvalidOperationException("One closed loop per client: its places are counted by the results on this client's reply queue.");
        _inFlight = new SemaphoreSlim(inFlight, inFlight);
        return RunAsync(submissions, Timeout.InfiniteTimeSpan, answerWithin, (_, _, token) => _inFlight.WaitAsync(answerWithin, token), cancellationToken);
    }

    /// <summary>
    /// The publishing loop both paces share: <paramref name="beforePublish"/> waits for submission i's turn (false
    /// ends the publishing), <paramref name="publishWithin"/> bounds the publishing, then the missing final results
    /// get <paramref name="answerWithin"/>.
    /// </summary>
    private async Task<AmqpLoadReport> RunAsync(IReadOnlyList<AmqpSubmission> submissions, TimeSpan publishWithin, TimeSpan answerWithin,
        Func<int, Stopwatch, CancellationToken, Task<bool>> beforePublish, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        run.CancelAfter(publishWithin);
        await EnsureSubmissionsQueueAsync(cancellationToken);
        try
        {
            // Each publish waits for its confirm on its own, so a slow broker does not slow the rate down.
            var publishes = new List<Task>();
            for (var i = 0; i < submissions.Count; i++)
            {
                if (!await beforePublish(i, watch, run.Token)) break;
                var submission = submissions[i];
                var body = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    clientRequestId = submission.ClientRequestId,
                    imageBase64 = Convert.ToBase64String(submission.Image),
                    replyTo = replyQueue,
                });
                publishes.Add(PublishAsync(submission.ClientRequestId, body, run.Token));
            }
            await Task.WhenAll(publishes);

            run.CancelAfter(answerWithin);
            while (submissions.Any(s => !HasFinal(s.ClientRequestId)))
            {
                await Task.Delay(250, run.Token);
                // A connection lost while waiting: reconnect, which republishes what is unanswered.
                await WithTurnAsync(() => ChannelAsync(run.Token));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The run's deadline: report what came.
        }
        return Report(submissions, watch.Elapsed);
    }

    /// <summary>Fails clearly when nothing consumes the front door yet (a publish there would be dropped silently).</summary>
    private Task EnsureSubmissionsQueueAsync(CancellationToken cancellationToken) => WithTurnAsync(async () =>
    {
        var (channel, _) = await ChannelAsync(cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync(SubmissionsQueue, cancellationToken);
        }
        catch (OperationInterruptedException e)
        {
            throw new InvalidOperationException($"The queue {SubmissionsQueue} does not exist on {host}:{port}: is an orchestrator running?", e);
        }
    });

    private async Task PublishAsync(string id, byte[] body, CancellationToken cancellationToken)
    {
        // Recorded first, so that a reconnect while this publish is under way republishes it.
        _published[id] = body;
        _firstPublished.TryAdd(id, Stopwatch.GetTimestamp());
        int? failedOn = null;
        while (true)
        {
            var (channel, connection) = await WithTurnAsync(() => ChannelAsync(cancellationToken));
            // Every reconnect republishes what is unanswered, this one included.
            if (connection > failedOn) break;
            try
            {
                await PublishOnceAsync(channel, body, cancellationToken);
                break;
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
            {
                failedOn = connection;
                await WithTurnAsync(() => CloseAsync(channel));
            }
        }
        Interlocked.Increment(ref _publishedCount);
    }

    /// <summary>
    /// The open channel and the number of its connection, connecting (with retries until cancelled) when there is
    /// none; after a reconnect every published id without a final result is published again.
    /// </summary>
    private async Task<(IChannel Channel, int Connection)> ChannelAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_channel is { IsOpen: true } open) return (open, _connections);
            await CloseAsync(_channel);
            try
            {
                var channel = await ConnectAsync(cancellationToken);
                if (++_connections > 1)
                {
                    var unanswered = _published.Where(p => !HasFinal(p.Key)).ToList();
                    await Task.WhenAll(unanswered.Select(p => PublishOnceAsync(channel, p.Value, cancellationToken)));
                    _republished += unanswered.Count;
                }
                return (channel, _connections);
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
            {
                await CloseAsync(_channel);
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    private async Task<IChannel> ConnectAsync(CancellationToken cancellationToken)
    {
        _connection = await _factory.CreateConnectionAsync(cancellationToken);
        var channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        _channel = channel;
        // Durable, like the queue the orchestrator declares when it first replies to it.
        await channel.QueueDeclareAsync(replyQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.BasicQosAsync(0, 256, false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnResultAsync(channel, delivery);
        await channel.BasicConsumeAsync(replyQueue, autoAck: false, consumer, cancellationToken);
        return channel;
    }

    private static async Task PublishOnceAsync(IChannel channel, byte[] body, CancellationToken cancellationToken)
    {
        // A confirm that never comes (a broker going down mid-publish) counts as a broken connection.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        await channel.BasicPublishAsync("", SubmissionsQueue, mandatory: true, Persistent, body, timeout.Token);
    }

    private async Task OnResultAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        Record(delivery.Body.Span);
        try
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException)
        {
            // Redelivered after the reconnect, and then seen as an identical copy.
        }
    }

    private void Record(ReadOnlySpan<byte> body)
    {
        try
        {
            using var json = JsonDocument.Parse(body.ToArray());
            var root = json.RootElement;
            var id = Text(root, "clientRequestId");
            if (id is null || !_published.ContainsKey(id))
            {
                _unexpected.Enqueue(Truncate(root.GetRawText()));
                return;
            }
            var result = new AmqpResult(Text(root, "submissionId") ?? "?", Text(root, "state") ?? "STATE_UNSPECIFIED", Text(root, "errorCode"), Text(root, "completeTime"));
            if (!result.IsFinal)
            {
                Interlocked.Increment(ref _notFinal);
                return;
            }
            if (_results.TryAdd(id, new ConcurrentQueue<AmqpResult>()))
            {
                _firstAnswered[id] = Stopwatch.GetTimestamp();
                // Only a republish needs the body, and an answered id is not republished: a soak's tens of
                // thousands of submissions would otherwise keep a gigabyte of base64 in this process.
                _published[id] = [];
                _inFlight?.Release();
            }
            _results[id].Enqueue(result);
        }
        catch (JsonException)
        {
            _unexpected.Enqueue(Truncate(System.Text.Encoding.UTF8.GetString(body)));
        }
    }

    private bool HasFinal(string id) => _results.ContainsKey(id);

    private AmqpLoadReport Report(IReadOnlyList<AmqpSubmission> submissions, TimeSpan elapsed)
    {
        var ids = submissions.Select(s => s.ClientRequestId).ToList();
        var answered = ids.Where(_results.ContainsKey).ToDictionary(id => id, id => _results[id].ToList());
        var first = answered.ToDictionary(a => a.Key, a => a.Value[0]);
        var publishedAt = ids.Where(_firstPublished.ContainsKey).Select(id => _firstPublished[id]).DefaultIfEmpty(Stopwatch.GetTimestamp()).Min();
        return new AmqpLoadReport
        {
            Submitted = ids.Count,
            Republished = _republished,
            Reconnects = Math.Max(0, _connections - 1),
            Elapsed = elapsed,
            NeverAnswered = ids.Where(id => !answered.ContainsKey(id)).ToList(),
            Duplicates = answered.Where(a => a.Value.Distinct().Count() > 1).ToDictionary(a => a.Key, a => (IReadOnlyList<AmqpResult>)a.Value.Distinct().ToList()),
            RepeatedCopies = answered.Sum(a => a.Value.Count - a.Value.Distinct().Count()),
            TimedOut = first.Where(f => f.Value.State == "TIMED_OUT").Select(f => f.Key).ToList(),
            Failed = first.Where(f => f.Value.State == "FAILED").ToDictionary(f => f.Key, f => f.Value.ErrorCode ?? "(no code)"),
            States = first.Values.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count()),
            NotFinal = _notFinal,
            Unexpected = _unexpected.ToList(),
            Latencies = answered.Keys
                .Select(id => new AmqpLatency(id, Stopwatch.GetElapsedTime(publishedAt, _firstPublished[id]), Stopwatch.GetElapsedTime(_firstPublished[id], _firstAnswered[id]).TotalMilliseconds))
                .OrderBy(l => l.PublishedAfter)
                .ToList(),
        };
    }

    private static bool IsConnectionFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        PublishReturnException => false, // unroutable: no queue, not a connection problem
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // the publish timeout
        AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or ConnectFailureException or PublishException => true,
        // A channel closed by another publish's reconnect.
        IOException or SocketException or ObjectDisposedException => true,
        _ => false,
    };

    private async Task WithTurnAsync(Func<Task> action) => await WithTurnAsync(async () => { await action(); return true; });

    private async Task<T> WithTurnAsync<T>(Func<Task<T>> action)
    {
        await _turn.WaitAsync();
        try
        {
            return await action();
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Closes the current connection if <paramref name="broken"/> is still its channel (a reconnect may have replaced
    /// it); null closes a connection whose channel was never made.
    /// </summary>
    private async Task CloseAsync(IChannel? broken)
    {
        if (broken != _channel) return;
        var (connection, channel) = (_connection, _channel);
        (_connection, _channel) = (null, null);
        try
        {
            if (channel is not null) await channel.DisposeAsync();
            if (connection is not null) await connection.DisposeAsync();
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or SocketException)
        {
            // Already broken: nothing to close.
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    public async ValueTask DisposeAsync()
    {
        await _turn.WaitAsync();
        await CloseAsync(_channel);
        _turn.Dispose();
        _inFlight?.Dispose();
    }
}
