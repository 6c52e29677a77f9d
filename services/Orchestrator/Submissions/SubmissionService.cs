using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Orchestrator.StateMachines;
using Cascade.Orchestrator.Store;
using Cascade.ServiceDefaults.Bus;
using Cascade.ServiceDefaults.Metrics;
using MassTransit;

namespace Cascade.Orchestrator.Submissions;

/// <summary>A submission still in flight, as the results API shows it.</summary>
public sealed record PendingSubmission(Guid SubmissionId, SubmissionStatus Status, string? ClientRequestId = null);

/// <summary>
/// Submission and result logic shared by every front end (REST, plain AMQP, gRPC): checks the request, stores the
/// image as a claim check and the submission with its gate command (the outbox sends it), and answers with results
/// by id, by waiting, or as a stream. A client request id makes a submission idempotent: sent again with the same
/// image it is the same submission; with another image it is refused (<c>IDEMPOTENCY_CONFLICT</c>).
/// </summary>
public sealed class SubmissionService(
    SubmissionStore store,
    SubmissionStateMachine machine,
    ResultSubscriptions subscriptions,
    IMessageDataRepository images,
    IDeletableClaimChecks claimChecks,
    BusOptions busOptions,
    InFlightLimit limit,
    OrchestratorOptions options,
    TimeProvider time)
{
    /// <summary>Starts a submission and returns its id (see the class summary for repeated client request ids).</summary>
    public Task<Guid> SubmitAsync(ReadOnlyMemory<byte> image, string? clientRequestId, CancellationToken cancellationToken = default) =>
        SubmitAsync(image, clientRequestId, replyTo: null, answerBy: null, cancellationToken);

    /// <param name="replyTo">Queue that also gets the plain-JSON result (AMQP clients); a repeated submission's own replyTo gets its answer too.</param>
    /// <param name="answerBy">The caller's deadline: stages that get the work later skip it (<see cref="GateImage.AnswerBy"/>).</param>
    public async Task<Guid> SubmitAsync(ReadOnlyMemory<byte> image, string? clientRequestId, string? replyTo, DateTimeOffset? answerBy = null, CancellationToken cancellationToken = default)
    {
        CheckRequest(image, clientRequestId, replyTo);
        return (await StoreAsync(SubmissionIds.For(clientRequestId), image, clientRequestId, replyTo, answerBy, cancellationToken).ConfigureAwait(false)).Id;
    }

    /// <summary>
    /// Submits, watching for the result: the synchronous front doors. Subscribed before the submission is stored, a
    /// new submission's result cannot finish unseen, so waiting for it needs no read of the store unless the
    /// notification is late. Dispose the watch when done with it.
    /// </summary>
    public async Task<WatchedSubmission> SubmitWatchedAsync(ReadOnlyMemory<byte> image, string? clientRequestId, DateTimeOffset? answerBy = null,
        CancellationToken cancellationToken = default)
    {
        CheckRequest(image, clientRequestId, replyTo: null);
        var id = SubmissionIds.For(clientRequestId);
        var waiter = subscriptions.Wait(id);
        try
        {
            var (_, isNew) = await StoreAsync(id, image, clientRequestId, replyTo: null, answerBy, cancellationToken).ConfigureAwait(false);
            return new WatchedSubmission(id, waiter, ct => WaitAsync(waiter, id, readFirst: !isNew, ct));
        }
        catch
        {
            waiter.Dispose();
            throw;
        }
    }

    private void CheckRequest(ReadOnlyMemory<byte> image, string? clientRequestId, string? replyTo)
    {
        SubmissionLimits.CheckImage(image.Length, options.MaxImageBytes);
        SubmissionLimits.CheckClientRequestId(clientRequestId);
        SubmissionLimits.CheckReplyTo(replyTo);
    }

    /// <summary>Stores the submission <paramref name="id"/>, or finds it stored already (a repeated client request id): then not new.</summary>
    private async Task<(Guid Id, bool IsNew)> StoreAsync(Guid id, ReadOnlyMemory<byte> image, string? clientRequestId, string? replyTo, DateTimeOffset? answerBy,
        CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(image.Span));
        // A repeated client request id is found by the insert (AddAsync returns the row it collided with): looking
        // it up first would cost every new submission a query.
        try
        {
            limit.Admit();
        }
        catch (CascadeException) when (clientRequestId is not null)
        {
            // Full, but a known submission adds nothing in flight: it is answered all the same.
            if (await store.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } known)
                return (await ResubmittedAsync(known, sha256, replyTo, cancellationToken).ConfigureAwait(false), false);
            throw;
        }
        var traceId = Activity.Current?.TraceId ?? ActivityTraceId.CreateRandom();
        Uri? claimCheck = null;
        SubmissionRecord? existing;
        var now = store.Now();
        try
        {
            // The caller's buffer goes to the store as it is: no copy of the image (a large-object-heap array for most
            // photos) per submission. The in-memory store copies it once; the file store writes it.
            using var stream = MemoryMarshal.TryGetArray(image, out var array)
                ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
                : new MemoryStream(image.ToArray(), writable: false);
            claimCheck = await images.Put(stream, busOptions.MessageData.TimeToLive, cancellationToken).ConfigureAwait(false);
            existing = await store.AddAsync(machine.Start(new SubmissionRecord
            {
                Id = id,
                ClientRequestId = clientRequestId,
                ImageSha256 = sha256,
                ImageAddress = claimCheck.ToString(),
                ReplyTo = replyTo,
                TraceId = traceId.ToHexString(),
                TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current
                    ? current.Id
                    : $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01",
                SubmittedAt = now,
                AnswerBy = answerBy,
            }, now), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            limit.Release();
            if (claimCheck is not null) claimChecks.DeleteIfOwned(claimCheck);
            throw;
        }
        if (existing is not null)
        {
            limit.Release();
            claimChecks.DeleteIfOwned(claimCheck);
            return (await ResubmittedAsync(existing, sha256, replyTo, cancellationToken).ConfigureAwait(false), false);
        }
        ServiceMetrics.InFlight.Add(1);
        return (id, true);
    }

    private async Task<Guid> ResubmittedAsync(SubmissionRecord known, string sha256, string? replyTo, CancellationToken cancellationToken)
    {
        if (known.ImageSha256 != sha256)
            throw new CascadeException(ErrorKind.Conflict, ErrorCodes.IdempotencyConflict,
                $"Client request id '{known.ClientRequestId}' was already used for another image (submission {known.Id}); use a new id for a new image.");
        if (replyTo is not null) await store.RedirectRepliesAsync(known.Id, replyTo, cancellationToken).ConfigureAwait(false);
        return known.Id;
    }

    /// <summary>The final result, however long it takes (bound it with <paramref name="cancellationToken"/>).</summary>
    /// <exception cref="CascadeException">NOT_FOUND: no such submission (unknown, or expired).</exception>
    public async Task<SubmissionFinished> WaitForResultAsync(Guid id, CancellationToken cancellationToken = default)
    {
        // Subscribed before the first read, so a result that finishes in between is not missed.
        using var waiter = subscriptions.Wait(id);
        return await WaitAsync(waiter, id, readFirst: true, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="readFirst">Read the store before waiting: false only when the waiter was subscribed before the submission existed.</param>
    private async Task<SubmissionFinished> WaitAsync(ResultSubscriptions.Waiter waiter, Guid id, bool readFirst, CancellationToken cancellationToken)
    {
        for (var read = readFirst; ; read = true)
        {
            if (read)
            {
                var submission = await store.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw Unknown(id);
                if (submission.IsFinished) return SubmissionStateMachine.Result(submission);
            }
            // The notification normally wins; re-reading the store covers one lost with a broker restart.
            var poll = Task.Delay(options.ResultPollInterval, time, cancellationToken);
            if (await Task.WhenAny(waiter.Result, poll).ConfigureAwait(false) == waiter.Result) return await waiter.Result.ConfigureAwait(false);
            await poll.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <see cref="SubmissionFinished"/> when finished, <see cref="PendingSubmission"/> while in flight, null for an
    /// unknown (or expired) id.
    /// </summary>
    public async Task<object?> GetStatusAsync(Guid id, CancellationToken cancellationToken = default) =>
        await store.FindAsync(id, cancellationToken).ConfigureAwait(false) switch
        {
            null => null,
            { IsFinished: true } finished => SubmissionStateMachine.Result(finished),
            var pending => new PendingSubmission(id, pending.Status, pending.ClientRequestId),
        };

    /// <summary>The most recently finished results, newest first (the web page's live list).</summary>
    public async Task<IReadOnlyList<SubmissionFinished>> RecentAsync(int count, CancellationToken cancellationToken = default) =>
        (await store.RecentAsync(count, cancellationToken).ConfigureAwait(false)).Select(SubmissionStateMachine.Result).ToList();

    /// <summary>Results as they finish, for streaming front ends; a reader too far behind is ended (<c>WATCHER_TOO_SLOW</c>).</summary>
    public IAsyncEnumerable<SubmissionFinished> StreamResultsAsync(CancellationToken cancellationToken) => subscriptions.Subscribe(cancellationToken);

    public static CascadeException Unknown(Guid id) =>
        new(ErrorKind.NotFound, ErrorCodes.NotFound, $"No submission {id} (unknown, or its result has expired).");
}
