using Cascade.Orchestrator.Submissions;

namespace Cascade.Orchestrator.Extensions;

/// <summary>The REST API: <c>/api/v1/classify</c>, <c>/api/v1/submissions</c>, <c>/api/v1/results/{id}</c>.</summary>
public static class SubmissionEndpoints
{
    public const string ImageField = "image";
    public const string ClientRequestIdField = "clientRequestId";

    public static IEndpointRouteBuilder MapSubmissionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        // Waits for the final result unless ?wait=false, which answers 202 like /submissions.
        api.MapPost("/classify", async (HttpRequest request, SubmissionService submissions, bool? wait, CancellationToken ct) =>
        {
            var (id, problem) = await SubmitFormAsync(request, submissions, ct);
            if (problem is not null) return problem;
            return wait == false ? Accepted(id) : Results.Ok(await submissions.WaitForResultAsync(id, ct));
        });
        api.MapPost("/submissions", async (HttpRequest request, SubmissionService submissions, CancellationToken ct) =>
        {
            var (id, problem) = await SubmitFormAsync(request, submissions, ct);
            return problem ?? Accepted(id);
        });
        api.MapGet("/results", (SubmissionService submissions, int? recent) =>
            recent is null or < 1 or > 200
                ? Results.Problem("Query parameter 'recent' must be 1..200.", statusCode: StatusCodes.Status400BadRequest)
                : Results.Ok(submissions.Recent(recent.Value)));
        api.MapGet("/results/{id:guid}", async (Guid id, SubmissionService submissions) =>
            await submissions.GetStatusAsync(id) is { } status ? Results.Ok(status) : Results.NotFound());
        return app;
    }

    private static IResult Accepted(Guid id) =>
        Results.Accepted($"/api/v1/results/{id}", new PendingSubmission(id, Contracts.SubmissionStatus.Submitted));

    private static async Task<(Guid Id, IResult? Problem)> SubmitFormAsync(HttpRequest request, SubmissionService submissions, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            return (default, Results.Problem($"Send multipart/form-data with the image in field '{ImageField}'.", statusCode: StatusCodes.Status415UnsupportedMediaType));
        var form = await request.ReadFormAsync(ct);
        if (form.Files.GetFile(ImageField) is not { } file)
            return (default, Results.Problem($"Form field '{ImageField}' (a file) is missing.", statusCode: StatusCodes.Status400BadRequest));
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        var clientRequestId = form[ClientRequestIdField].FirstOrDefault();
        var id = await submissions.SubmitAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), string.IsNullOrEmpty(clientRequestId) ? null : clientRequestId, ct);
        return (id, null);
    }
}
