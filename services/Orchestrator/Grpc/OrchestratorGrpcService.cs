using Cascade.Contracts;
using Cascade.Grpc.Protocol;
using Cascade.Grpc.Server;
using Cascade.Imaging;
using Cascade.Orchestrator.Submissions;
using MassTransit;
using V1 = Cascade.Protos.V1;

namespace Cascade.Orchestrator.Grpc;

/// <summary>
/// <c>cascade.v1.OrchestratorService</c> over <see cref="SubmissionService"/>, the same logic as the REST API.
/// Status mapping: image errors INVALID_ARGUMENT (code first in the message), unknown ids NOT_FOUND, the
/// caller's deadline DEADLINE_EXCEEDED, the bus unreachable UNAVAILABLE. A stage timeout is a TIMED_OUT result.
/// </summary>
public sealed class OrchestratorGrpcService(SubmissionService submissions)
{
    public const string Name = "cascade.v1.OrchestratorService";

    public GrpcServiceBuilder Definition() => new GrpcServiceBuilder(Name)
        .Unary<V1.ClassifyRequest, V1.Result>("Classify", ClassifyAsync)
        .Unary<V1.ClassifyRequest, V1.SubmitResponse>("Submit", SubmitAsync)
        .Unary<V1.GetResultRequest, V1.Result>("GetResult", GetResultAsync)
        .ServerStreaming<V1.WatchResultsRequest, V1.Result>("WatchResults", WatchResultsAsync);

    private async Task<V1.Result> ClassifyAsync(V1.ClassifyRequest request, GrpcCallContext context)
    {
        var id = await StartAsync(request, context);
        var result = await submissions.WaitForResultAsync(id, context.CancellationToken);
        if (result.Status == SubmissionStatus.Failed && ImageErrorCodes.TryParse(result.ErrorCode, out _))
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"{result.ErrorCode}: {result.ErrorMessage}");
        return result.ToMessage();
    }

    private async Task<V1.SubmitResponse> SubmitAsync(V1.ClassifyRequest request, GrpcCallContext context) =>
        new() { SubmissionId = (await StartAsync(request, context)).ToString() };

    private async Task<V1.Result> GetResultAsync(V1.GetResultRequest request, GrpcCallContext context) =>
        await submissions.GetStatusAsync(ParseId(request.SubmissionId)) switch
        {
            SubmissionFinished finished => finished.ToMessage(),
            PendingSubmission pending => pending.ToMessage(),
            _ => throw new GrpcException(GrpcStatusCode.NotFound, $"No submission {request.SubmissionId} (unknown, or its result has expired)."),
        };

    private async Task WatchResultsAsync(V1.WatchResultsRequest request, Func<V1.Result, Task> send, GrpcCallContext context)
    {
        if (request.SubmissionIds.Count == 0)
        {
            await foreach (var result in submissions.StreamResultsAsync(context.CancellationToken))
                await send(result.ToMessage());
            return;
        }
        var ids = request.SubmissionIds.Select(ParseId).Distinct().ToList();
        foreach (var id in ids)
        {
            if (await submissions.GetStatusAsync(id) is null)
                throw new GrpcException(GrpcStatusCode.NotFound, $"No submission {id} (unknown, or its result has expired).");
        }
        var pending = ids.Select(id => submissions.WaitForResultAsync(id, context.CancellationToken)).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            await send((await done).ToMessage());
        }
    }

    private async Task<Guid> StartAsync(V1.ClassifyRequest request, GrpcCallContext context)
    {
        if (request.Image.IsEmpty)
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"{ImageErrorCode.Empty.ToCode()}: field 'image' is empty.");
        if (request.ClientRequestId.Length > 200)
            throw new GrpcException(GrpcStatusCode.InvalidArgument, "Field 'client_request_id' is longer than 200 characters.");
        try
        {
            return await submissions.SubmitAsync(request.Image.Memory, request.ClientRequestId.Length == 0 ? null : request.ClientRequestId, context.CancellationToken);
        }
        catch (MassTransitException e)
        {
            throw new GrpcException(GrpcStatusCode.Unavailable, $"The message bus is unavailable: {e.Message}");
        }
    }

    private static Guid ParseId(string text) => Guid.TryParse(text, out var id)
        ? id
        : throw new GrpcException(GrpcStatusCode.InvalidArgument, $"Field 'submission_id' ('{text}') is not a submission id.");
}
