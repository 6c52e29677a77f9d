namespace Cascade.Services.Tests.Fixtures;

public static class RabbitMqSettings
{
    /// <summary>Bus settings for the local broker, a given virtual host and a shared claim-check folder.</summary>
    public static Dictionary<string, string?> For(string virtualHost, string messageDataPath, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq:Host"] = "127.0.0.1",
            ["Bus:RabbitMq:VirtualHost"] = virtualHost,
            ["Bus:MessageData:Path"] = messageDataPath,
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }
}
