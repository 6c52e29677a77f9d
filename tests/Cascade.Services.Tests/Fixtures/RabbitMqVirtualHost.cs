namespace Cascade.Services.Tests.Fixtures;

/// <summary>A throwaway virtual host on the test broker (<see cref="TestBroker"/>), so tests never see each other's queues.</summary>
public sealed class RabbitMqVirtualHost : IAsyncDisposable
{
    private RabbitMqVirtualHost(TestBroker broker, string name)
    {
        (Broker, Name) = (broker, name);
    }

    public TestBroker Broker { get; }
    public string Name { get; }

    public static async Task<RabbitMqVirtualHost> CreateAsync()
    {
        var broker = await TestBroker.Instance;
        var name = $"cascade-test-{Guid.NewGuid():N}";
        await broker.CtlAsync("add_vhost", name);
        await broker.CtlAsync("set_permissions", "-p", name, "guest", ".*", ".*", ".*");
        return new RabbitMqVirtualHost(broker, name);
    }

    public async ValueTask DisposeAsync() => await Broker.CtlAsync("delete_vhost", Name);
}
