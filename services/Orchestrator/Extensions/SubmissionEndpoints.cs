using Cascade.Contracts;
using Cascade.Contracts.Errors;
using Cascade.Orchestrator.Grpc;
using Cascade.Orchestrator.Submissions;
using Cascade.Protos;
using Cascade.ServiceDefaults.Errors;

namespace Cascade.Orchestrator.Extensions;

/// <summary>
/// The REST API: <c>/api/v1/classify</c>, <c>/api/v1/submissions</c>, <c>/api/v1/results/{id}</c>. Results are the one
/// result schema (<see cref="ResultJson"/>, the proto3 JSON of <c>cascade.v1.Result</c>); errors are RFC 9457 problem
/// details with the stable code as member <c>code</c> and the status gRPC would give (<see cref="ErrorStatuses"/>).
/// </summary>
public static class SubmissionEndpoints
{
    public const string ImageField = "image";
    public const string ClientRequestIdField = "clientRequestId";

    public static IEndpointRouteBuilder MapSubmissionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AddEndpointFilter(ProblemsFromErrorsAsync);
        // Waits for the final result unless ?wait=false, which answers 202 like /submissions. Failures the caller
        // can act on are errors, as in gRPC's Classify (CallerErrors), not a 200 with state FAILED.
        // The wait is bounded by Orchestrator:ClassifyTimeout, which the stages also get as the caller's deadline.
        api.MapPost("/classify", async (HttpContext http, SubmissionService submissions, OrchestratorOptions options, TimeProvider time, bool? wait, CancellationToken ct) =>
        {
            var answerBy = time.GetUtcNow() + options.ClassifyTimeout;
            var (image, clientRequestId) = await ReadFormAsync(http.Request, options, ct);
            if (wait == false) return Accepted(http, await submissions.SubmitAsync(image, clientRequestId, replyTo: null, answerBy, ct));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.ClassifyTimeout);
            using var submission = await submissions.SubmitWatchedAsync(image, clientRequestId, answerBy, ct);
            SubmissionFinished result;
            try
            {
                result = await submission.ResultAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new CascadeException(ErrorKind.DeadlineExceeded, ErrorCodes.DeadlineExceeded,
                    $"No result within {options.ClassifyTimeout.TotalSeconds:0.###} s (Orchestrator:ClassifyTimeout); it stays queryable at /api/v1/results/{submission.Id}.");
            }
            CallerErrors.ThrowIfCallersError(result);
            return Json(result.ToMessage());
        });
        api.MapPost("/submissions", async (HttpContext http, SubmissionService submissions, OrchestratorOptions options, CancellationToken ct) =>
        {
            var (image, clientRequestId) = await ReadFormAsync(http.Request, options, ct);
            return Accepted(http, await submissions.SubmitAsync(image, clientRequestId, replyTo: null, answerBy: null, ct));
        });
        api.MapGet("/results", async (SubmissionService submissions, int? recent, CancellationToken ct) =>
        {
            if (recent is null or < 1 or > 200) throw InvalidArgument("Query parameter 'recent' must be 1..200.");
            return Results.Text(ResultJson.Format((await submissions.RecentAsync(recent.Value, ct)).Select(r => r.ToMessage())), ResultJson.ContentType);
        });
        api.MapGet("/results/{id}", async (string id, SubmissionService submissions, CancellationToken ct) =>
        {
            if (!Guid.TryParse(id, out var submissionId)) throw InvalidArgument($"'{id}' is not a submission id.");
            return await submissions.GetStatusAsync(submissionId, ct) switch
            {
                SubmissionFinished finished => Json(finished.ToMessage()),
                PendingSubmission pending => Json(pending.ToMessage()),
                _ => throw SubmissionService.Unknown(submissionId),
            };
        });
        return app;
    }

    private static IResult Json(Protos.V1.Result result, int statusCode = StatusCodes.Status200OK) =>
        Results.Text(ResultJson.Format(result), ResultJson.ContentType, statusCode: statusCode);

    private static IResult Accepted(HttpContext http, Guid id)
    {
        http.Response.Headers.Location = $"/api/v1/results/{id}";
        return Json(new PendingSubmission(id, SubmissionStatus.Submitted).ToMessage(), StatusCodes.Status202Accepted);
    }

    private static CascadeException InvalidArgument(string message) => new(ErrorKind.InvalidInput, ErrorCodes.InvalidArgument, message);

    /// <summary>The image and the client request id of a submission form.</summary>
    private static async Task<(ReadOnlyMemory<byte> Image, string? ClientRequestId)> ReadFormAsync(HttpRequest request, OrchestratorOptions options, CancellationToken ct)
    {
        if (!request.HasFormContentType) throw InvalidArgument($"Send multipart/form-data with the image in field '{ImageField}'.");
        var form = await request.ReadFormAsync(ct);
        if (form.Files.GetFile(ImageField) is not { } file) throw InvalidArgument($"Form field '{ImageField}' (a file) is missing.");
        // Refused before it is copied, let alone stored.
        SubmissionLimits.CheckImage((int)Math.Min(int.MaxValue, file.Length), options.MaxImageBytes);
        var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        var clientRequestId = form[ClientRequestIdField].FirstOrDefault();
        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), string.IsNullOrEmpty(clientRequestId) ? null : clientRequestId);
    }

    /// <summary>Our errors, and a request body over Kestrel's limit, as problem details.</summary>
    private static async ValueTask<object?> ProblemsFromErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (CascadeException e)
        {
            return Problem(context.HttpContext, e.Kind, e.ErrorCode, e.Message);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(context.HttpContext, ErrorKind.InvalidInput, ErrorCodes.ImageTooLarge, $"The request is larger than the server accepts: {e.Message}");
        }
    }

    private static IResult Problem(HttpContext http, ErrorKind kind, string code, string detail)
    {
        if (ErrorStatuses.RetryAfterSeconds(kind) is { } seconds) http.Response.Headers.RetryAfter = seconds.ToString();
        return Results.Problem(detail: detail, statusCode: ErrorStatuses.Http(kind, code), title: code, extensions: new Dictionary<string, object?> { ["code"] = code });
    }
}
