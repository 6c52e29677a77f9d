using System.Diagnostics;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>A throwaway virtual host on the local RabbitMQ, so test runs never see each other's queues.</summary>
public sealed class RabbitMqVirtualHost : IDisposable
{
    public RabbitMqVirtualHost()
    {
        Name = $"cascade-test-{Guid.NewGuid():N}";
        Ctl("add_vhost", Name);
        Ctl("set_permissions", "-p", Name, "guest", ".*", ".*", ".*");
    }

    public string Name { get; }

    public void Dispose() => Ctl("delete_vhost", Name);

    private static void Ctl(params string[] args)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-q");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed: {error.Result}");
    }
}
