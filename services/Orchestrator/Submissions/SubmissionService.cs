using System.Diagnostics;
using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Orchestrator.StateMachines;
using Cascade.ServiceDefaults.Bus;
using Cascade.ServiceDefaults.Metrics;
using MassTransit;

namespace Cascade.Orchestrator.Submissions;

/// <summary>A submission still in flight, as the results API shows it.</summary>
public sealed record PendingSubmission(Guid SubmissionId, SubmissionStatus Status);

/// <summary>
/// Submission and result logic shared by every front end (REST, plain AMQP, gRPC): stores the image as a claim
/// check, starts the saga, and answers with results by id, by waiting, or as a stream.
/// </summary>
public sealed class SubmissionService(
    IBus bus,
    IMessageDataRepository images,
    ResultStore results,
    ILoadSagaRepository<SubmissionState> sagas,
    BusOptions busOptions,
    TimeProvider time)
{
    /// <summary>
    /// Starts a submission and returns its id; a client request id seen before returns the same id and starts nothing.
    /// A bus that cannot take it is a <see cref="CascadeException"/> of kind Unavailable (<c>BUS_UNAVAILABLE</c>).
    /// </summary>
    public Task<Guid> SubmitAsync(ReadOnlyMemory<byte> image, string? clientRequestId, CancellationToken cancellationToken = default) =>
        SubmitAsync(image, clientRequestId, replyTo: null, answerBy: null, cancellationToken);

    /// <param name="replyTo">Queue that also gets the plain-JSON result (AMQP clients).</param>
    /// <param name="answerBy">The caller's deadline: stages that get the work later skip it (<see cref="ImageSubmitted.AnswerBy"/>).</param>
    public async Task<Guid> SubmitAsync(ReadOnlyMemory<byte> image, string? clientRequestId, string? replyTo, DateTimeOffset? answerBy = null, CancellationToken cancellationToken = default)
    {
        var id = SubmissionIds.For(clientRequestId);
        if (!results.TryAdd(id)) return id;
        ServiceMetrics.InFlight.Add(1);
        try
        {
            var claimCheck = await images.PutBytes(image.ToArray(), busOptions.MessageData.TimeToLive, cancellationToken).ConfigureAwait(false);
            await bus.Publish(new ImageSubmitted
            {
                SubmissionId = id,
                ClientRequestId = clientRequestId,
                Image = claimCheck,
                SubmittedAt = time.GetUtcNow(),
                TraceId = (Activity.Current?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString(),
                ReplyTo = replyTo,
                AnswerBy = answerBy,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ServiceMetrics.InFlight.Add(-1);
            results.Remove(id);
            if (e is MassTransitException) throw new CascadeException(ErrorKind.Unavailable, ErrorCodes.BusUnavailable, $"The message bus is unavailable: {e.Message}", e);
            throw;
        }
        return id;
    }

    /// <summary>The final result; throws <see cref="KeyNotFoundException"/> for an id this orchestrator does not know.</summary>
    public Task<SubmissionFinished> WaitForResultAsync(Guid id, CancellationToken cancellationToken = default)
    {
        results.TryGet(id, out var result);
        return result.WaitAsync(cancellationToken);
    }

    /// <summary>The final result if there is one.</summary>
    public bool TryGetResult(Guid id, out SubmissionFinished? result)
    {
        result = results.TryGet(id, out var task) && task.IsCompletedSuccessfully ? task.Result : null;
        return result is not null;
    }

    /// <summary>
    /// <see cref="SubmissionFinished"/> when finished, <see cref="PendingSubmission"/> with the saga's state while
    /// in flight, null for an unknown (or expired) id.
    /// </summary>
    public async Task<object?> GetStatusAsync(Guid id)
    {
        if (!results.TryGet(id, out var task)) return null;
        if (task.IsCompletedSuccessfully) return task.Result;
        var saga = await sagas.Load(id).ConfigureAwait(false);
        return new PendingSubmission(id, saga is null ? SubmissionStatus.Submitted : SubmissionStateMachine.StatusOf(saga.CurrentState));
    }

    /// <summary>The most recently finished results, newest first (the web page's live list).</summary>
    public IReadOnlyList<SubmissionFinished> Recent(int count) => results.Recent(count);

    /// <summary>Results as they finish, for streaming front ends.</summary>
    public IAsyncEnumerable<SubmissionFinished> StreamResultsAsync(CancellationToken cancellationToken) => results.Subscribe(cancellationToken);
}
