using Cascade.Contracts;
using Cascade.LoadGenerator;
using Cascade.Orchestrator.Submissions;
using Cascade.Services.Tests.Fixtures;
using Cascade.Services.Tests.RabbitMq;
using Xunit.Abstractions;

namespace Cascade.Services.Tests;

/// <summary>
/// Short end-to-end load runs (30% bears) on both transports; the numbers go to the test output. Set
/// CASCADE_LOAD_IMAGES for a longer run.
/// </summary>
[Collection(RabbitStackCollection.Name)]
public sealed class EndToEndLoadTests(RabbitStack stack, ITestOutputHelper output)
{
    private static readonly int Images = int.TryParse(Environment.GetEnvironmentVariable("CASCADE_LOAD_IMAGES"), out var n) ? n : 200;
    private const int Concurrency = 32;

    [Fact]
    public async Task In_memory_transport()
    {
        await using var host = await ServiceHost.StartAllInOneAsync();
        await RunAsync("in-memory", host.Get<SubmissionService>());
    }

    [Fact]
    public async Task RabbitMq_transport() => await RunAsync("rabbitmq", stack.Submissions);

    private async Task RunAsync(string transport, SubmissionService submissions)
    {
        var images = EndToEndLoad.LoadMix(SharedAssets.Data, Math.Min(Images, 400));
        var load = new EndToEndLoad(submissions);
        await load.RunAsync(images, total: 32, Concurrency); // warm-up: sessions, connections, JIT

        var report = await load.RunAsync(images, Images, Concurrency);

        output.WriteLine($"{transport}: {report}");
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "cascade-load-report.txt"), $"{DateTime.UtcNow:O} {transport}: {report}\n");
        report.ImagesPerSecond.Should().BePositive();
        report.ByStatus.Keys.Should().NotContain([SubmissionStatus.Failed, SubmissionStatus.TimedOut]);
    }
}
