using Cascade.Contracts;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Submissions;
using MassTransit;

namespace Cascade.Orchestrator.Consumers;

/// <summary>
/// The gate's and the classifier's answers, and their faults, applied to the submission they answer. Idempotent:
/// a redelivered or late answer changes nothing (<see cref="SubmissionStateMachine"/>).
/// </summary>
public sealed class StageAnswerConsumer(SubmissionProgress progress, SubmissionStateMachine machine) :
    IConsumer<ImageGated>, IConsumer<ImageClassified>, IConsumer<StageFailed>, IConsumer<Fault<GateImage>>, IConsumer<Fault<ClassifyImage>>
{
    public Task Consume(ConsumeContext<ImageGated> context) =>
        progress.ApplyAsync(context.Message.SubmissionId, "gate answer", (s, now) => machine.Gated(s, context.Message, now), context.CancellationToken);

    public Task Consume(ConsumeContext<ImageClassified> context) =>
        progress.ApplyAsync(context.Message.SubmissionId, "classifier answer", (s, now) => machine.Classified(s, context.Message, now), context.CancellationToken);

    public Task Consume(ConsumeContext<StageFailed> context) =>
        progress.ApplyAsync(context.Message.SubmissionId, $"{context.Message.Stage} failure",
            (s, now) => machine.Failed(s, context.Message.ErrorCode, context.Message.ErrorMessage, now), context.CancellationToken);

    public Task Consume(ConsumeContext<Fault<GateImage>> context) => FaultedAsync("gate", context.Message.Message.SubmissionId, context);

    public Task Consume(ConsumeContext<Fault<ClassifyImage>> context) => FaultedAsync("classifier", context.Message.Message.SubmissionId, context);

    private Task FaultedAsync<T>(string stage, Guid id, ConsumeContext<Fault<T>> context)
    {
        var cause = context.Message.Exceptions.FirstOrDefault() is { } e ? $"{e.ExceptionType}: {e.Message}" : "faulted";
        return progress.ApplyAsync(id, $"{stage} fault", (s, now) => machine.Failed(s, SubmissionStateMachine.StageFaultCode, $"{stage}: {cause}", now),
            context.CancellationToken);
    }
}
