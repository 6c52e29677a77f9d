using System.Text.Json.Serialization;

namespace Cascade.Contracts;

/// <summary>
/// The one final event per submission, published by the orchestrator. Also the result JSON of the REST API
/// and of the plain-AMQP results exchange.
/// </summary>
public sealed record SubmissionFinished : ISubmissionMessage
{
    public required Guid SubmissionId { get; init; }
    public string? ClientRequestId { get; init; }
    public required SubmissionStatus Status { get; init; }
    /// <summary>NoObject, Label or Unknown; null when failed or timed out.</summary>
    public Verdict? Verdict { get; init; }
    public string? Label { get; init; }
    public GateResult? Gate { get; init; }
    public ClassifierResult? Classifier { get; init; }
    public required double TotalMs { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public string? TraceId { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    /// <summary>Queue the AMQP submitter asked the result to go to, if any.</summary>
    public string? ReplyTo { get; init; }
}

/// <summary>Mirrors Cascade.Inference's verdict; repeated here so contracts depend on nothing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    NoObject,
    Label,
    Unknown,
}

public sealed record GateResult(double Score, double Threshold, ModelInfo Model, StageTimings Timings);

public sealed record ClassifierResult(IReadOnlyList<LabelScore> Scores, ModelInfo Model, StageTimings Timings);
