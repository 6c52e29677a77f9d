using System.Collections.Concurrent;
using System.Diagnostics;
using Cascade.Orchestrator.Submissions;
using Cascade.Services.Tests.Fixtures;

namespace Cascade.Services.Tests.InMemory;

/// <summary>One whole trace per submission: the front end's activity, the outbox, the bus, the gate, the classifier and the final event.</summary>
public class TracingTests
{
    [Fact]
    public async Task Gate_and_classifier_work_joins_the_submitters_trace()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            // What the services export (TelemetryExtensions): MassTransit's source and every Cascade.* one.
            ShouldListenTo = source => source.Name == "MassTransit" || source.Name.StartsWith("Cascade.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("Cascade.Tests");
        await using var host = await ServiceHost.StartAllInOneAsync();
        var submissions = host.Get<SubmissionService>();

        ActivityTraceId traceId;
        Guid id;
        using (var root = source.StartActivity("submit a bear"))
        {
            traceId = root!.TraceId;
            id = await submissions.SubmitAsync(TestImages.Grizzly(), clientRequestId: null);
        }
        var result = await submissions.WaitForResultAsync(id).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300); // consumer activities stop just after their messages are handled

        result.TraceId.Should().Be(traceId.ToHexString(), "the final result carries the submission's trace id");
        var trace = activities.Where(a => a.TraceId == traceId).ToList();
        var inTrace = trace.Select(a => a.DisplayName).ToList();
        inTrace.Should().Contain(n => n.Contains("cascade-gate"), "the gate consumed in the same trace");
        inTrace.Should().Contain(n => n.Contains("cascade-classifier"), "the classifier consumed in the same trace");
        inTrace.Should().Contain(n => n.Contains("cascade-orchestrator"), "the orchestrator handled the answers in the same trace");
        var spanIds = trace.Select(a => a.SpanId).ToHashSet();
        trace.Where(a => a.ParentSpanId != default && !spanIds.Contains(a.ParentSpanId)).Select(a => a.DisplayName).Should()
            .BeEmpty("every span's parent is in the trace too (the outbox's among them), so a trace viewer shows one tree");
    }
}
