using System.Collections.Concurrent;
using System.Diagnostics;
using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;

namespace Cascade.LoadGenerator;

/// <summary>
/// End-to-end load through <see cref="SubmissionService"/> (claim check, bus, both stages, saga): keeps a fixed
/// number of submissions in flight and measures images/s and submit-to-result latency. Used by the service
/// tests and by <c>cascade bench</c>.
/// </summary>
public sealed class EndToEndLoad(SubmissionService submissions)
{
    /// <summary>
    /// <paramref name="count"/> photos from a bear data set folder (<c>bears/**</c> and <c>negatives</c>), about
    /// <paramref name="bearFraction"/> of them bears, in a fixed shuffled order.
    /// </summary>
    public static IReadOnlyList<byte[]> LoadMix(string dataDirectory, int count, double bearFraction = 0.3, int seed = 17)
    {
        var random = new Random(seed);
        var bears = Directory.GetFiles(Path.Combine(dataDirectory, "bears"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var negatives = Directory.GetFiles(Path.Combine(dataDirectory, "negatives"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        if (bears.Length == 0 || negatives.Length == 0) throw new DirectoryNotFoundException($"{dataDirectory} has no bears/**/*.jpg or negatives/*.jpg.");
        random.Shuffle(bears);
        random.Shuffle(negatives);
        var bearCount = (int)Math.Round(count * bearFraction);
        var files = bears.Take(bearCount).Concat(negatives.Take(count - bearCount)).ToArray();
        random.Shuffle(files);
        return files.Select(File.ReadAllBytes).ToArray();
    }

    /// <summary>Submits every image once (cycling the list up to <paramref name="total"/> submissions) with <paramref name="concurrency"/> in flight.</summary>
    public async Task<LoadReport> RunAsync(IReadOnlyList<byte[]> images, int total, int concurrency, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        if (images.Count == 0) throw new ArgumentException("No images to submit.", nameof(images));

        var latencies = new double[total];
        var statuses = new ConcurrentDictionary<SubmissionStatus, int>();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Math.Min(concurrency, total)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var submitted = Stopwatch.GetTimestamp();
                // No client request id: every submission is new, even when the list repeats.
                // As the synchronous front doors (gRPC and REST Classify) submit and wait.
                using var submission = await submissions.SubmitWatchedAsync(images[i % images.Count], clientRequestId: null, cancellationToken: cancellationToken).ConfigureAwait(false);
                var result = await submission.ResultAsync(cancellationToken).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(submitted).TotalMilliseconds;
                statuses.AddOrUpdate(result.Status, 1, (_, n) => n + 1);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        Array.Sort(latencies);
        return new LoadReport(total, concurrency, seconds, total / seconds,
            Percentiles.Of(latencies, 0.50), Percentiles.Of(latencies, 0.95), Percentiles.Of(latencies, 0.99), statuses.ToDictionary());
    }
}
