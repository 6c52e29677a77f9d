using MassTransit;

namespace Cascade.Orchestrator.Consumers;

/// <summary>
/// A temporary queue of this orchestrator's own (auto-deleted when it stops): every orchestrator hears of every
/// result. What it misses while disconnected its waiters read from the store.
/// </summary>
public sealed class SubmissionFinishedConsumerDefinition : ConsumerDefinition<SubmissionFinishedConsumer>
{
    public SubmissionFinishedConsumerDefinition()
    {
        Endpoint(e =>
        {
            e.Name = $"cascade-orchestrator-results-{Guid.NewGuid():N}";
            e.Temporary = true;
        });
    }
}
