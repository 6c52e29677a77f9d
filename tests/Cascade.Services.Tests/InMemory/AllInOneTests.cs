using Cascade.Protos;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cascade.Contracts;
using Cascade.Inference;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults.Bus;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.InMemory;

/// <summary>The all-in-one host (what <c>cascade serve</c> runs): all three services on the in-memory transport.</summary>
public sealed class AllInOneFixture : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ServiceHost.StartAllInOneAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class AllInOneTests(AllInOneFixture fixture) : IClassFixture<AllInOneFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Bear_photo_over_rest_completes_with_the_right_label()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Grizzly()), "image", "grizzly.jpg" } };
        using var response = await fixture.Host.Client.PostAsync("/api/v1/classify", form);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var result = ResultJson.Parse(await response.Content.ReadAsStringAsync());
        result.State.Should().Be(Cascade.Protos.V1.State.Completed);
        result.Label.Should().Be("grizzly");
    }

    [Fact]
    public async Task Over_the_bus_the_backbone_runs_once_per_image_and_the_classifier_only_its_head()
    {
        var submissions = fixture.Host.Get<SubmissionService>();
        var photos = Enumerable.Range(0, 6).Select(TestImages.Grizzly).Concat(Enumerable.Range(0, 4).Select(TestImages.Negative)).ToArray();
        var imagesRun = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == InferenceMetrics.MeterName && instrument.Name == "cascade.batch.size") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, images, _, _) => Interlocked.Add(ref imagesRun, images));
        listener.Start();

        var results = new List<SubmissionFinished>();
        foreach (var photo in photos) results.Add(await submissions.ClassifyAsync(photo));

        results.Count(r => r.Status == SubmissionStatus.Completed).Should().Be(6);
        results.Count(r => r.Status == SubmissionStatus.Rejected).Should().Be(4);
        results.Where(r => r.Classifier is not null).Should().OnlyContain(r => r.Classifier!.Timings.BatchSize == 0, "the classifier read the gate's logits");
        Interlocked.Read(ref imagesRun).Should().Be(photos.Length, "one backbone run per image: the 6 accepted ones are not run again");
    }

    [Fact]
    public async Task Work_past_the_callers_deadline_is_dropped_before_the_model_runs()
    {
        var submissions = fixture.Host.Get<SubmissionService>();

        var late = await submissions.SubmitAsync(TestImages.Grizzly(), clientRequestId: null, replyTo: null, answerBy: DateTimeOffset.UtcNow.AddSeconds(-1));
        var onTime = await submissions.SubmitAsync(TestImages.Grizzly(), clientRequestId: null, replyTo: null, answerBy: DateTimeOffset.UtcNow.AddSeconds(30));

        var dropped = await submissions.WaitForResultAsync(late).WaitAsync(TimeSpan.FromSeconds(30));
        dropped.Status.Should().Be(SubmissionStatus.Failed);
        dropped.ErrorCode.Should().Be("DEADLINE_EXCEEDED");
        dropped.Gate.Should().BeNull("the gate's model never ran");
        var answered = await submissions.WaitForResultAsync(onTime).WaitAsync(TimeSpan.FromSeconds(30));
        answered.Status.Should().Be(SubmissionStatus.Completed);
        answered.Label.Should().Be("grizzly");
    }

    [Fact]
    public async Task Non_bear_is_rejected_and_corrupt_bytes_fail()
    {
        var submissions = fixture.Host.Get<SubmissionService>();

        (await submissions.ClassifyAsync(TestImages.Negative())).Status.Should().Be(SubmissionStatus.Rejected);
        var corrupt = await submissions.ClassifyAsync(TestImages.Corrupt());
        corrupt.Status.Should().Be(SubmissionStatus.Failed);
        corrupt.ErrorCode.Should().Be("IMAGE_CORRUPT");
    }

    [Fact]
    public async Task Runs_in_memory_and_is_ready_once_models_are_loaded_and_bus_is_up()
    {
        fixture.Host.Get<BusOptions>().Transport.Should().Be(BusTransport.InMemory);
        using var ready = await fixture.Host.Client.GetAsync("/health/ready");
        var body = await ready.Content.ReadAsStringAsync();
        ready.StatusCode.Should().Be(HttpStatusCode.OK, body);
        using var live = await fixture.Host.Client.GetAsync("/health/live");
        live.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
