using System.Net;
using Cascade.ServiceDefaults;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Cascade.Grpc.Tests;

/// <summary>grpc.health.v1 over the readiness checks: per service and for the whole server, Check and Watch.</summary>
public class HealthTests
{
    private static readonly string[] ServiceNames = ["", "cascade.v1.OrchestratorService", "cascade.v1.GateService", "cascade.v1.ClassifierService"];

    [Fact]
    public async Task Every_service_and_the_server_serve_and_unknown_names_are_not_found()
    {
        await using var host = await LiveCascadeHost.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var health = new Health.HealthClient(channel);
        foreach (var name in ServiceNames)
            (await health.CheckAsync(new HealthCheckRequest { Service = name }, deadline: DateTime.UtcNow.AddSeconds(10))).Status.Should().Be(ServingStatus.Serving, name);

        var unknown = async () => await health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }, deadline: DateTime.UtcNow.AddSeconds(10));
        (await unknown.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.NotFound);
    }

    [Fact]
    public async Task Degraded_readiness_is_not_serving_nor_http_ready_and_watchers_hear_of_it_within_about_a_second()
    {
        var status = HealthStatus.Healthy;
        await using var host = await LiveCascadeHost.StartAsync(builder =>
            builder.Services.AddHealthChecks().AddCheck("test-toggle", () => new HealthCheckResult(status), [HealthTags.Ready]));
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var health = new Health.HealthClient(channel);
        using var watch = health.Watch(new HealthCheckRequest { Service = "cascade.v1.GateService" }, deadline: DateTime.UtcNow.AddSeconds(60));
        var updates = watch.ResponseStream;

        (await NextAsync(updates)).Should().Be(ServingStatus.Serving);
        // The first Watch answer is computed on the spot; later ones are changes in what the publisher last saw,
        // which may still be the NOT_SERVING of start-up (then a second SERVING follows). Let it see SERVING first.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        status = HealthStatus.Degraded;
        await WatchSaysAsync(updates, ServingStatus.NotServing, within: TimeSpan.FromSeconds(2.5));
        foreach (var name in ServiceNames)
            (await health.CheckAsync(new HealthCheckRequest { Service = name })).Status.Should().Be(ServingStatus.NotServing, name);
        using var http = new HttpClient { BaseAddress = host.HttpAddress };
        (await http.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "a degraded bus must not read as ready");

        status = HealthStatus.Healthy;
        await WatchSaysAsync(updates, ServingStatus.Serving, within: TimeSpan.FromSeconds(2.5));
        (await http.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Reads the watch until it reports <paramref name="expected"/>, failing if that takes longer than <paramref name="within"/>.</summary>
    private static async Task WatchSaysAsync(IAsyncStreamReader<HealthCheckResponse> updates, ServingStatus expected, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await NextAsync(updates, timeout.Token) != expected) { }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"The watch did not report {expected} within {within.TotalSeconds} s.");
        }
    }

    private static async Task<ServingStatus> NextAsync(IAsyncStreamReader<HealthCheckResponse> updates, CancellationToken cancellationToken = default)
    {
        (await updates.MoveNext(cancellationToken)).Should().BeTrue("the watch stays open");
        return updates.Current.Status;
    }
}
