namespace Cascade.Services.Tests.Fixtures;

public static class RabbitMqSettings
{
    /// <summary>Bus settings for the test broker, a given virtual host on it and a shared claim-check folder.</summary>
    public static Dictionary<string, string?> For(RabbitMqVirtualHost virtualHost, string messageDataPath, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq:Host"] = virtualHost.Broker.Host,
            ["Bus:RabbitMq:Port"] = virtualHost.Broker.Port.ToString(),
            ["Bus:RabbitMq:VirtualHost"] = virtualHost.Name,
            ["Bus:MessageData:Path"] = messageDataPath,
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }
}
