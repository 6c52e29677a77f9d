namespace Cascade.ServiceDefaults.Bus;

public enum BusTransport
{
    /// <summary>One process, no broker: the all-in-one host and tests.</summary>
    InMemory,
    RabbitMq,
}

/// <summary>Settings section <c>Bus</c>.</summary>
public sealed record BusOptions
{
    public const string Section = "Bus";

    /// <summary>RabbitMQ for the services run apart; the all-in-one host defaults to InMemory.</summary>
    public BusTransport Transport { get; init; } = BusTransport.RabbitMq;
    public RabbitMqOptions RabbitMq { get; init; } = new();
    public MessageDataOptions MessageData { get; init; } = new();
    public ConsumerCheckOptions ConsumerCheck { get; init; } = new();
}

/// <summary>Settings section <c>Bus:ConsumerCheck</c>: the <see cref="ConsumerWatchdog"/> (RabbitMQ only).</summary>
public sealed record ConsumerCheckOptions
{
    /// <summary>How often the broker is asked for the consumers of this process's queues.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>
    /// How long a queue MassTransit calls consumed may have no consumer at the broker before the process stops.
    /// MassTransit's own reconnects are not counted: an endpoint reconnecting is not called consumed.
    /// </summary>
    public TimeSpan LostAfter { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// How long the graceful stop after a lost consumer may take before the process exits at once (zero: wait for it
    /// however long). Stopping MassTransit on a dead connection waits for answers that never come: 40 s in the fault test.
    /// </summary>
    public TimeSpan ExitAfter { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Settings section <c>Bus:RabbitMq</c>.</summary>
public sealed record RabbitMqOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public ushort Port { get; init; } = 5672;
    public string VirtualHost { get; init; } = "/";
    public string Username { get; init; } = "guest";
    public string Password { get; init; } = "guest";
}

/// <summary>Settings section <c>Bus:MessageData</c>: where claim-checked images are stored.</summary>
public sealed record MessageDataOptions
{
    /// <summary>
    /// Folder shared by every service (a shared volume) for the file-system repository used with RabbitMQ.
    /// The in-memory transport keeps images in memory instead.
    /// </summary>
    public string Path { get; init; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cascade-message-data");
    /// <summary>How long a stored image is kept for its stages.</summary>
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromMinutes(10);
}
