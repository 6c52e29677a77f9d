using Testcontainers.RabbitMq;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// A RabbitMQ container of its own (<see cref="OwnedContainers"/>): the shared <see cref="TestBroker"/>'s, or one per
/// fault scenario, so that restarting it disturbs no other test.
/// </summary>
public sealed class ContainerBroker : IAsyncDisposable
{
    private ContainerBroker(RabbitMqContainer container)
    {
        Container = container;
        Port = container.GetMappedPublicPort(RabbitMqBuilder.RabbitMqPort);
    }

    public RabbitMqContainer Container { get; }
    public string Host => Container.Hostname;
    public int Port { get; }

    /// <summary>
    /// Starts a broker container, on a random host port or <paramref name="hostPort"/> (so that clients can be
    /// started before it is up); fails with a clear message where no Docker engine answers.
    /// </summary>
    public static async Task<ContainerBroker> StartAsync(int? hostPort = null)
    {
        if (!OwnedContainers.DockerAnswers())
            throw new InvalidOperationException("A RabbitMQ container of its own needs a Docker engine, and none answered (test.sh starts one; or set DOCKER_HOST).");
        var (container, startup) = await OwnedContainers.StartRabbitMqAsync(hostPort);
        var broker = new ContainerBroker(container);
        OwnedContainers.Report($"RabbitMQ: Testcontainers container {container.Name} of {OwnedContainers.RabbitMqImage} on {broker.Host}:{broker.Port}, ready in {startup.TotalSeconds:0.0} s");
        return broker;
    }

    /// <summary>Runs <c>rabbitmqctl -q ARGS</c> in the container.</summary>
    public Task CtlAsync(params string[] args) => CtlAsync(Container, args);

    public static async Task CtlAsync(RabbitMqContainer container, string[] args)
    {
        string[] command = ["rabbitmqctl", "-q", .. args];
        var result = await container.ExecAsync(command);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', command)} failed ({result.ExitCode}): {result.Stderr}{result.Stdout}");
    }

    public ValueTask DisposeAsync() => Container.DisposeAsync();
}
