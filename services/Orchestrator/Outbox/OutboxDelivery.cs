using System.Diagnostics;
using Cascade.Contracts;
using Cascade.Orchestrator.Grpc;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Store;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults.Bus;
using MassTransit;

namespace Cascade.Orchestrator.Outbox;

/// <summary>
/// Sends what one outbox entry owes, built from its submission's committed row. Sending twice is harmless
/// (the outbox is at least once): the gate's answer to a repeated command is ignored, results are idempotent.
/// </summary>
public sealed class OutboxDelivery(IBus bus, IMessageDataRepository images, IDeletableClaimChecks claimChecks, BusOptions busOptions, ILogger<OutboxDelivery> logger)
{
    /// <summary>A source, not a bare Activity: exported with the other Cascade sources, the sends below keep their parent in the trace.</summary>
    private static readonly ActivitySource Activities = new("Cascade.Orchestrator.Outbox");

    public async Task DeliverAsync(OutboxEntry entry, SubmissionRecord? submission, CancellationToken cancellationToken)
    {
        // Deleted by retention meanwhile: nothing is owed any more.
        if (submission is null) return;
        // Sent from a background loop: the submitter's trace is restored, so the stages' work joins it.
        using var trace = submission.TraceParent is { } parent ? Activities.StartActivity($"outbox {entry.Kind}", ActivityKind.Internal, parent) : null;
        switch (entry.Kind)
        {
            case OutboxKind.GateCommand:
                // Once past gating (an answer came, or it timed out) the command is moot.
                if (submission.Status != SubmissionStatus.Gating) return;
                var gate = await bus.GetSendEndpoint(CommandQueues.GateAddress).ConfigureAwait(false);
                await gate.Send(new GateImage
                {
                    SubmissionId = submission.Id,
                    Image = new ClaimCheckReference(new Uri(submission.ImageAddress), images),
                    AnswerBy = submission.AnswerBy,
                }, cancellationToken).ConfigureAwait(false);
                break;
            case OutboxKind.Result:
                var finished = SubmissionStateMachine.Result(submission);
                // For the other orchestrators' waiters and streams (this one's were handed the result as it finished,
                // SubmissionProgress). An in-memory bus spans one process, which has no other orchestrator.
                if (busOptions.Transport != BusTransport.InMemory) await bus.Publish(finished, cancellationToken).ConfigureAwait(false);
                await bus.PublishResultAsync(finished.ToMessage(), submission.ReplyTo, cancellationToken).ConfigureAwait(false);
                DeleteClaimCheck(submission);
                break;
            case OutboxKind.Reply when entry.Destination is { } replyTo:
                var answer = submission.IsFinished
                    ? SubmissionStateMachine.Result(submission).ToMessage()
                    : new PendingSubmission(submission.Id, submission.Status, submission.ClientRequestId).ToMessage();
                await bus.ReplyAsync(answer, replyTo, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private void DeleteClaimCheck(SubmissionRecord submission)
    {
        try
        {
            claimChecks.DeleteIfOwned(new Uri(submission.ImageAddress));
        }
        catch (IOException e)
        {
            // The janitor removes it once its time to live has passed.
            logger.LogWarning(e, "Could not delete the claim check of submission {SubmissionId}", submission.Id);
        }
    }
}
