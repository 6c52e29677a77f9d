using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;
using MassTransit;

namespace Cascade.Orchestrator.Consumers;

/// <summary>Results finished by any orchestrator, for the callers and streams waiting in this one.</summary>
public sealed class SubmissionFinishedConsumer(ResultSubscriptions subscriptions) : IConsumer<SubmissionFinished>
{
    public Task Consume(ConsumeContext<SubmissionFinished> context)
    {
        subscriptions.Complete(context.Message);
        return Task.CompletedTask;
    }
}
