namespace Cascade.LoadGenerator;

/// <summary>What one <see cref="InProcessCascadeLoad"/> pass measured; the latencies are in ascending order.</summary>
public sealed record InProcessCascadePass(int Images, int Concurrency, TimeSpan Elapsed, IReadOnlyList<double> LatenciesMs, int Accepted)
{
    public double ImagesPerSecond => Images / Elapsed.TotalSeconds;
    public double AcceptedShare => (double)Accepted / Images;
}
