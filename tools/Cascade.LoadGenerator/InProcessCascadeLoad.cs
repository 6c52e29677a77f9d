using System.Collections.Concurrent;
using System.Diagnostics;
using Cascade.Imaging;
using Cascade.Inference.Pipeline;

namespace Cascade.LoadGenerator;

/// <summary>
/// The in-process cascade (decode, gate, classifier in this process: no bus, no store) over a list of images with a
/// fixed number in flight: the yardstick the services' end-to-end throughput is held against, by <c>cascade bench</c>
/// and by the soak run over RabbitMQ.
/// </summary>
public static class InProcessCascadeLoad
{
    /// <summary>One pass over every image in <paramref name="images"/>.</summary>
    public static async Task<InProcessCascadePass> RunAsync(CascadePipeline pipeline, IReadOnlyList<byte[]> images, int concurrency, CancellationToken cancellationToken = default)
    {
        var latencies = new ConcurrentBag<double>();
        var accepted = 0;
        var elapsed = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, images.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var result = await pipeline.RunAsync(images[i], ct);
                if (result.Gate.Decision.Accepted) Interlocked.Increment(ref accepted);
            }
            catch (ImageException)
            {
                // Bad images are part of real traffic; they cost their refusal time.
            }
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        return new InProcessCascadePass(images.Count, concurrency, elapsed.Elapsed, [.. latencies.Order()], accepted);
    }
}
