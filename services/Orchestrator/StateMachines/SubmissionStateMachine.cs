using Cascade.Contracts;
using MassTransit;

namespace Cascade.Orchestrator.StateMachines;

/// <summary>
/// One saga per submission: Gating, then Classifying when the gate accepts, ending Completed, Rejected,
/// Failed or TimedOut. Entering a final state finishes the submission (<see cref="FinishSubmissionActivity"/>:
/// the one <see cref="SubmissionFinished"/>) and removes the instance, so late or duplicate answers find no saga
/// and are discarded: they cannot change a result.
/// </summary>
public sealed class SubmissionStateMachine : MassTransitStateMachine<SubmissionState>
{
    public const string StageTimeoutCode = "STAGE_TIMEOUT";
    public const string StageFaultCode = "STAGE_FAULT";

    public SubmissionStateMachine(OrchestratorOptions options, TimeProvider time)
    {
        InstanceState(x => x.CurrentState);

        Event(() => ImageSubmitted, x => x.CorrelateById(c => c.Message.SubmissionId));
        Event(() => ImageGated, x => CorrelateLate(x, c => c.Message.SubmissionId));
        Event(() => ImageClassified, x => CorrelateLate(x, c => c.Message.SubmissionId));
        Event(() => StageFailed, x => CorrelateLate(x, c => c.Message.SubmissionId));
        Event(() => StageTimedOut, x => CorrelateLate(x, c => c.Message.SubmissionId));
        Event(() => GateFaulted, x => CorrelateLate(x, c => c.Message.Message.SubmissionId));
        Event(() => ClassifierFaulted, x => CorrelateLate(x, c => c.Message.Message.SubmissionId));

        Initially(
            When(ImageSubmitted)
                .Then(c =>
                {
                    c.Saga.ClientRequestId = c.Message.ClientRequestId;
                    c.Saga.ReplyTo = c.Message.ReplyTo;
                    c.Saga.TraceId = c.Message.TraceId;
                    c.Saga.SubmittedAt = c.Message.SubmittedAt;
                    c.Saga.AnswerBy = c.Message.AnswerBy;
                    c.Saga.Deadline = time.GetUtcNow() + options.StageTimeout;
                })
                .Send(CommandQueues.GateAddress, c => new GateImage { SubmissionId = c.Saga.CorrelationId, Image = c.Message.Image, AnswerBy = c.Saga.AnswerBy })
                .TransitionTo(Gating));

        During(Gating,
            When(ImageGated, c => !c.Message.Accepted)
                .Then(c => c.Saga.Gate = c.Message.Gate)
                .TransitionTo(Rejected),
            When(ImageGated, c => c.Message.Accepted)
                .Then(c =>
                {
                    c.Saga.Gate = c.Message.Gate;
                    c.Saga.Deadline = time.GetUtcNow() + options.StageTimeout;
                })
                .TransitionTo(Classifying));

        During(Gating, Classifying,
            // Duplicate submissions of the same client request id while it is in flight.
            Ignore(ImageSubmitted),
            When(ImageClassified)
                .Then(c =>
                {
                    c.Saga.Gate = c.Message.Gate;
                    c.Saga.Classifier = c.Message.Classifier;
                    c.Saga.Label = c.Message.Label;
                })
                .TransitionTo(Completed),
            When(StageFailed)
                .Then(c => Fail(c.Saga, c.Message.ErrorCode, c.Message.ErrorMessage))
                .TransitionTo(Failed),
            When(GateFaulted)
                .Then(c => Fail(c.Saga, StageFaultCode, $"gate: {Describe(c.Message)}"))
                .TransitionTo(Failed),
            When(ClassifierFaulted)
                .Then(c => Fail(c.Saga, StageFaultCode, $"classifier: {Describe(c.Message)}"))
                .TransitionTo(Failed),
            When(StageTimedOut)
                .Then(c => Fail(c.Saga, StageTimeoutCode, $"{c.Saga.CurrentState} did not answer within {options.StageTimeout.TotalSeconds:0.###} s."))
                .TransitionTo(TimedOut));

        // A duplicate ImageGated after the classifier already took over.
        During(Classifying, Ignore(ImageGated));

        foreach (var final in new[] { Completed, Rejected, Failed, TimedOut })
        {
            WhenEnter(final, b => b
                .Activity(x => x.OfType<FinishSubmissionActivity>())
                .Finalize());
        }
        SetCompletedWhenFinalized();
    }

    public State Gating { get; private set; } = null!;
    public State Classifying { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State TimedOut { get; private set; } = null!;

    public Event<ImageSubmitted> ImageSubmitted { get; private set; } = null!;
    public Event<ImageGated> ImageGated { get; private set; } = null!;
    public Event<ImageClassified> ImageClassified { get; private set; } = null!;
    public Event<StageFailed> StageFailed { get; private set; } = null!;
    public Event<StageTimedOut> StageTimedOut { get; private set; } = null!;
    public Event<Fault<GateImage>> GateFaulted { get; private set; } = null!;
    public Event<Fault<ClassifyImage>> ClassifierFaulted { get; private set; } = null!;

    /// <summary>Status of a saga state name, for submissions still in flight.</summary>
    public static SubmissionStatus StatusOf(string currentState) =>
        Enum.TryParse<SubmissionStatus>(currentState, out var status) ? status : SubmissionStatus.Submitted;

    private static void CorrelateLate<T>(IEventCorrelationConfigurator<SubmissionState, T> x, Func<ConsumeContext<T>, Guid> id) where T : class
    {
        x.CorrelateById(id);
        // The saga is gone once the submission finished: answers after that are discarded, not faulted.
        x.OnMissingInstance(m => m.Discard());
    }

    private static void Fail(SubmissionState saga, string code, string message)
    {
        saga.ErrorCode = code;
        saga.ErrorMessage = message;
    }

    private static string Describe<T>(Fault<T> fault) =>
        fault.Exceptions.FirstOrDefault() is { } e ? $"{e.ExceptionType}: {e.Message}" : "faulted";

    /// <summary>The final event of a saga that has just entered its final state.</summary>
    public static SubmissionFinished Result(SubmissionState saga, DateTimeOffset now)
    {
        var status = Enum.Parse<SubmissionStatus>(saga.CurrentState);
        Verdict? verdict = status switch
        {
            SubmissionStatus.Rejected => Verdict.NoObject,
            SubmissionStatus.Completed => saga.Label is null ? Verdict.Unknown : Verdict.Label,
            _ => null,
        };
        return new SubmissionFinished
        {
            SubmissionId = saga.CorrelationId,
            ClientRequestId = saga.ClientRequestId,
            Status = status,
            Verdict = verdict,
            Label = saga.Label,
            Gate = saga.Gate,
            Classifier = saga.Classifier,
            TotalMs = (now - saga.SubmittedAt).TotalMilliseconds,
            ErrorCode = saga.ErrorCode,
            ErrorMessage = saga.ErrorMessage,
            TraceId = saga.TraceId,
            SubmittedAt = saga.SubmittedAt,
            FinishedAt = now,
            ReplyTo = saga.ReplyTo,
        };
    }
}
