using Cascade.AllInOne;
using Cascade.ServiceDefaults.Bus;
using Cascade.Services.Tests.Fixtures;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace Cascade.Services.Tests.RabbitMq;

/// <summary>
/// The consumer watchdog on a real broker: a gate whose connection is left half open (the broker dropped it and its
/// consumer, the gate never heard) stops itself for its supervisor to restart; an endpoint that MassTransit restarts
/// itself is left alone.
/// </summary>
[Collection(ProcessExitCode.Collection)]
public sealed class ConsumerWatchdogTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LostAfter = TimeSpan.FromSeconds(3);
    private RabbitMqVirtualHost _virtualHost = null!;
    private HalfOpenProxy _proxy = null!;
    private readonly string _messageData = Path.Combine(Path.GetTempPath(), $"cascade-test-data-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        _virtualHost = await RabbitMqVirtualHost.CreateAsync();
        _proxy = new HalfOpenProxy(_virtualHost.Broker.Host, _virtualHost.Broker.Port);
    }

    [Fact]
    public async Task A_gate_whose_consumer_the_broker_dropped_without_telling_it_stops_itself_with_exit_code_75()
    {
        await using var gate = await StartGateAsync();
        var stopping = Stopping(gate);
        (await ConsumersAsync("cascade-gate")).Should().Be(1);
        // The watchdog judges only a queue it has seen consumed: a few checks before the fault.
        await Task.Delay(Interval * 3);

        _proxy.CutBrokerSide();
        await Eventually.HoldsAsync(async () => await ConsumersAsync("cascade-gate") == 0, TimeSpan.FromSeconds(10), "the broker drops the cut connection's consumer", everyMs: 200);
        stopping.IsCompleted.Should().BeFalse("the gate heard nothing: its connection's client side is still open");

        var stopped = await Task.WhenAny(stopping, Task.Delay(LostAfter + BrokerConsumerCounts.AnswerWithin + TimeSpan.FromSeconds(10)));
        stopped.Should().BeSameAs(stopping, "the watchdog finds the queue without a consumer for longer than LostAfter");
        Environment.ExitCode.Should().Be(ConsumerWatchdog.ExitCode);
        var health = await gate.Get<HealthCheckService>().CheckHealthAsync(c => c.Name == "bus-consumers");
        health.Status.Should().Be(HealthStatus.Unhealthy);
        // Whichever of the gate's queues (its command queue, the bus's own) was checked first.
        health.Entries["bus-consumers"].Description.Should().Contain("no consumer at the broker");
    }

    [Fact]
    public async Task An_endpoint_that_MassTransit_restarts_itself_after_its_queue_was_deleted_is_left_alone()
    {
        await using var gate = await StartGateAsync();
        var stopping = Stopping(gate);
        await Task.Delay(Interval * 3);

        // The broker cancels the consumer (basic.cancel): MassTransit hears it, restarts the endpoint and declares the queue again.
        await WithChannelAsync(channel => channel.QueueDeleteAsync("cascade-gate"));
        await Eventually.HoldsAsync(async () => await ConsumersAsync("cascade-gate") == 1, TimeSpan.FromSeconds(30), "MassTransit consumes the queue again", everyMs: 200);

        await Task.Delay(LostAfter * 2);
        stopping.IsCompleted.Should().BeFalse();
        Environment.ExitCode.Should().Be(0);
        (await gate.Get<HealthCheckService>().CheckHealthAsync(c => c.Name == "bus-consumers")).Status.Should().Be(HealthStatus.Healthy);
    }

    private Task<ServiceHost> StartGateAsync()
    {
        var settings = RabbitMqSettings.For(_virtualHost, _messageData,
            ("Bus:RabbitMq:Host", "127.0.0.1"),
            ("Bus:RabbitMq:Port", _proxy.Port.ToString()),
            ("Bus:ConsumerCheck:Interval", Interval.ToString()),
            ("Bus:ConsumerCheck:LostAfter", LostAfter.ToString()),
            // A stop that takes long must not end the test process (the fault tests check the forced exit).
            ("Bus:ConsumerCheck:ExitAfter", "00:00:00"));
        return ServiceHost.StartAsync(CascadeRoles.Gate, settings);
    }

    private static Task Stopping(ServiceHost host)
    {
        var stopping = new TaskCompletionSource();
        host.Get<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        return stopping.Task;
    }

    /// <summary>The broker's count of consumers on <paramref name="queue"/>; none while the queue does not exist.</summary>
    private async Task<uint> ConsumersAsync(string queue)
    {
        try
        {
            uint count = 0;
            await WithChannelAsync(async channel => count = (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount);
            return count;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return 0;
        }
    }

    /// <summary>A channel straight to the broker, not through the proxy.</summary>
    private async Task WithChannelAsync(Func<IChannel, Task> action)
    {
        var factory = new ConnectionFactory { HostName = _virtualHost.Broker.Host, Port = _virtualHost.Broker.Port, VirtualHost = _virtualHost.Name };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await action(channel);
    }

    public async Task DisposeAsync()
    {
        // The watchdog sets the process's exit code for a service's Program; in the test process it must not stay.
        Environment.ExitCode = 0;
        await _proxy.DisposeAsync();
        await _virtualHost.DisposeAsync();
        if (Directory.Exists(_messageData)) Directory.Delete(_messageData, recursive: true);
    }
}

/// <summary>Tests that read or set <see cref="Environment.ExitCode"/>, which is one per process: never in parallel.</summary>
[CollectionDefinition(Collection)]
public sealed class ProcessExitCode
{
    public const string Collection = "process exit code";
}
