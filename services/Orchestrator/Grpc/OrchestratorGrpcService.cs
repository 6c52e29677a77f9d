using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Orchestrator.Submissions;
using Grpc.Core;
using V1 = Cascade.Protos.V1;

namespace Cascade.Orchestrator.Grpc;

/// <summary>
/// <c>cascade.v1.OrchestratorService</c> over <see cref="SubmissionService"/>, the same logic as the REST API.
/// Errors are <see cref="CascadeException"/>s, which the shared ErrorMappingInterceptor turns into statuses
/// (image errors INVALID_ARGUMENT, unknown ids NOT_FOUND, the bus unreachable UNAVAILABLE). The caller's
/// deadline ends the wait and travels with the submission, so stages skip work nobody waits for any more (the
/// result is then FAILED with DEADLINE_EXCEEDED). A stage timeout is a TIMED_OUT result.
/// </summary>
public sealed class OrchestratorGrpcService(SubmissionService submissions) : V1.OrchestratorService.OrchestratorServiceBase
{
    public override async Task<V1.Result> Classify(V1.ClassifyRequest request, ServerCallContext context)
    {
        using var submission = await submissions.SubmitWatchedAsync(request.Image.Memory, ClientRequestId(request), AnswerBy(context), context.CancellationToken);
        var result = await submission.ResultAsync(context.CancellationToken);
        CallerErrors.ThrowIfCallersError(result);
        return result.ToMessage();
    }

    public override async Task<V1.SubmitResponse> Submit(V1.ClassifyRequest request, ServerCallContext context) =>
        new() { SubmissionId = (await submissions.SubmitAsync(request.Image.Memory, ClientRequestId(request), replyTo: null, AnswerBy(context), context.CancellationToken)).ToString() };

    public override async Task<V1.Result> GetResult(V1.GetResultRequest request, ServerCallContext context)
    {
        var id = ParseId(request.SubmissionId);
        return await submissions.GetStatusAsync(id, context.CancellationToken) switch
        {
            SubmissionFinished finished => finished.ToMessage(),
            PendingSubmission pending => pending.ToMessage(),
            _ => throw SubmissionService.Unknown(id),
        };
    }

    public override async Task WatchResults(V1.WatchResultsRequest request, IServerStreamWriter<V1.Result> responseStream, ServerCallContext context)
    {
        if (request.SubmissionIds.Count == 0)
        {
            await foreach (var result in submissions.StreamResultsAsync(context.CancellationToken))
                await responseStream.WriteAsync(result.ToMessage(), context.CancellationToken);
            return;
        }
        var ids = request.SubmissionIds.Select(ParseId).Distinct().ToList();
        foreach (var id in ids)
        {
            if (await submissions.GetStatusAsync(id, context.CancellationToken) is null) throw SubmissionService.Unknown(id);
        }
        var pending = ids.Select(id => submissions.WaitForResultAsync(id, context.CancellationToken)).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            await responseStream.WriteAsync((await done).ToMessage(), context.CancellationToken);
        }
    }

    private static string? ClientRequestId(V1.ClassifyRequest request) => request.ClientRequestId.Length == 0 ? null : request.ClientRequestId;

    /// <summary>The caller's deadline, which travels with the submission (no deadline is DateTime.MaxValue).</summary>
    private static DateTimeOffset? AnswerBy(ServerCallContext context) =>
        context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(context.Deadline, TimeSpan.Zero);

    private static Guid ParseId(string text) => Guid.TryParse(text, out var id)
        ? id
        : throw new CascadeException(ErrorKind.InvalidInput, ErrorCodes.InvalidArgument, $"Field 'submission_id' ('{text}') is not a submission id.");

}
