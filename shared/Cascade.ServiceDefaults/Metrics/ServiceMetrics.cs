using System.Diagnostics.Metrics;
using Cascade.Contracts;

namespace Cascade.ServiceDefaults.Metrics;

/// <summary>Instruments of the services, meter <c>Cascade.Services</c> (the inference core has <c>Cascade.Inference</c>).</summary>
public static class ServiceMetrics
{
    public const string MeterName = "Cascade.Services";
    private static readonly Meter Meter = new(MeterName);

    public static readonly UpDownCounter<long> InFlight = Meter.CreateUpDownCounter<long>("cascade.submissions.in_flight", "{submission}", "Submissions started and not yet finished");
    public static readonly Counter<long> Finished = Meter.CreateCounter<long>("cascade.submissions.finished", "{submission}", "Finished submissions by status and verdict");
    public static readonly Counter<long> GateDecisions = Meter.CreateCounter<long>("cascade.gate.decisions", "{image}", "Gate decisions: accepted or refused (accept ratio = accepted / all)");
    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("cascade.errors", "{submission}", "Failed or timed-out submissions by error code");
    public static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("cascade.stage.duration", "ms", "Time in each stage (gate, classifier) including fetching the image");
    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("cascade.stage.queue_wait", "ms", "Time an image waited for its model batch, by stage");
    public static readonly Histogram<double> TotalDuration = Meter.CreateHistogram<double>("cascade.submission.duration", "ms", "Submission to final result");

    /// <summary>Records everything a final result tells: called once per submission, where results are completed.</summary>
    public static void RecordFinished(SubmissionFinished result)
    {
        InFlight.Add(-1);
        Finished.Add(1, new("status", result.Status.ToString()), new("verdict", result.Verdict?.ToString() ?? "none"), new("label", result.Label ?? "none"));
        TotalDuration.Record(result.TotalMs);
        if (result.ErrorCode is { } code) Errors.Add(1, new KeyValuePair<string, object?>("code", code));
        if (result.Gate is { } gate)
        {
            GateDecisions.Add(1, new KeyValuePair<string, object?>("decision", gate.Score >= gate.Threshold ? "accepted" : "refused"));
            StageDuration.Record(gate.Timings.StageMs, new KeyValuePair<string, object?>("stage", "gate"));
            QueueWait.Record(gate.Timings.QueueMs, new KeyValuePair<string, object?>("stage", "gate"));
        }
        if (result.Classifier is { } classifier)
        {
            StageDuration.Record(classifier.Timings.StageMs, new KeyValuePair<string, object?>("stage", "classifier"));
            QueueWait.Record(classifier.Timings.QueueMs, new KeyValuePair<string, object?>("stage", "classifier"));
        }
    }
}
