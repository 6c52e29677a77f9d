using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;

namespace Cascade.Services.Tests.Fixtures;

public static class SubmissionServiceExtensions
{
    /// <summary>Submits and waits for the final result, failing the test after <paramref name="timeoutSeconds"/>.</summary>
    public static async Task<SubmissionFinished> ClassifyAsync(this SubmissionService submissions, byte[] image, string? clientRequestId = null, int timeoutSeconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var id = await submissions.SubmitAsync(image, clientRequestId, timeout.Token);
        return await submissions.WaitForResultAsync(id, timeout.Token);
    }
}
