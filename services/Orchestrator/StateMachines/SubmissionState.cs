using Cascade.Contracts;
using MassTransit;

namespace Cascade.Orchestrator.StateMachines;

/// <summary>The saga instance of one submission.</summary>
public sealed class SubmissionState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";
    public string? ClientRequestId { get; set; }
    public string? ReplyTo { get; set; }
    public string? TraceId { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    /// <summary>When the current stage times out; the deadline monitor scans these.</summary>
    public DateTimeOffset? Deadline { get; set; }
    /// <summary>The caller's deadline, handed to the stages.</summary>
    public DateTimeOffset? AnswerBy { get; set; }
    public GateResult? Gate { get; set; }
    public ClassifierResult? Classifier { get; set; }
    public string? Label { get; set; }
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
}
