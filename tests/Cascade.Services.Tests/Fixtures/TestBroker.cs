using Testcontainers.RabbitMq;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// The RabbitMQ that every broker-backed test uses, started once per test run. With a Docker engine: a
/// Testcontainers container of <c>CASCADE_RABBITMQ_IMAGE</c> (<see cref="OwnedContainers"/>: labelled, removed at
/// exit, leftovers of killed runs swept). Without one, or when <c>CASCADE_TEST_RABBITMQ</c> (host:port) is set: that
/// broker, default 127.0.0.1:5672 (what scripts/install-test-deps.sh starts), administered with the local
/// rabbitmqctl. Which one was used is printed once.
/// </summary>
public sealed class TestBroker
{
    private static readonly Lazy<Task<TestBroker>> Shared = new(StartAsync);
    private readonly RabbitMqContainer? _container;

    private TestBroker(string host, int port, RabbitMqContainer? container)
    {
        (Host, Port, _container) = (host, port, container);
    }

    public static Task<TestBroker> Instance => Shared.Value;

    public string Host { get; }
    public int Port { get; }

    /// <summary>Runs <c>rabbitmqctl -q ARGS</c> where the broker runs: in its container, or on this machine.</summary>
    public Task CtlAsync(params string[] args) => _container is not null ? ContainerBroker.CtlAsync(_container, args) : LocalCtlAsync(args);

    private static async Task LocalCtlAsync(string[] args)
    {
        string[] command = ["rabbitmqctl", "-q", .. args];
        var (exitCode, error) = await OwnedContainers.RunAsync(command);
        if (exitCode != 0) throw new InvalidOperationException($"{string.Join(' ', command)} failed: {error}");
    }

    private static async Task<TestBroker> StartAsync()
    {
        var given = Environment.GetEnvironmentVariable("CASCADE_TEST_RABBITMQ");
        if (given is null && OwnedContainers.DockerAnswers())
        {
            var broker = await ContainerBroker.StartAsync();
            return new TestBroker(broker.Host, broker.Port, broker.Container);
        }
        var (host, port) = given?.Split(':') is [var h, var p] ? (h, int.Parse(p)) : ("127.0.0.1", 5672);
        OwnedContainers.Report($"RabbitMQ for the tests: the broker at {host}:{port} ({(given is null ? "no Docker engine answered" : "CASCADE_TEST_RABBITMQ")})");
        return new TestBroker(host, port, null);
    }
}
