using System.Diagnostics;
using Cascade.Orchestrator.Submissions;

namespace Cascade.Cli.Bench;

/// <summary>
/// Submissions at a fixed arrival rate, however long each takes (an open loop, like independent clients):
/// the latency a caller sees at a given load, which a closed loop at fixed concurrency hides.
/// </summary>
public static class OpenLoopLoad
{
    public static async Task<LatencyStats> RunAsync(string name, SubmissionService submissions, IReadOnlyList<byte[]> images, double perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var total = Math.Max(1, (int)(perSecond * duration.TotalSeconds));
        var latencies = new double[total];
        var calls = new Task[total];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
            var index = i;
            calls[i] = Task.Run(async () =>
            {
                var submitted = Stopwatch.GetTimestamp();
                using var submission = await submissions.SubmitWatchedAsync(images[index % images.Count], clientRequestId: null, cancellationToken: cancellationToken);
                await submission.ResultAsync(cancellationToken);
                latencies[index] = Stopwatch.GetElapsedTime(submitted).TotalMilliseconds;
            }, cancellationToken);
        }
        await Task.WhenAll(calls);
        return LatencyStats.From(name, total, Stopwatch.GetElapsedTime(started), latencies);
    }
}
