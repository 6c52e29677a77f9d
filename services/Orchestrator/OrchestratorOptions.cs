using Cascade.Orchestrator.Store;
using Cascade.ServiceDefaults.Bus;

namespace Cascade.Orchestrator;

/// <summary>Settings section <c>Orchestrator</c>.</summary>
public sealed record OrchestratorOptions
{
    public const string Section = "Orchestrator";

    /// <summary>How long one stage (gate or classifier) may take before the submission ends TimedOut.</summary>
    public TimeSpan StageTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>How long finished results stay queryable by id (and how long a client request id stays deduplicated).</summary>
    public TimeSpan ResultRetention { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>How often the deadline monitor looks for overdue submissions; bounds how late a timeout fires.</summary>
    public TimeSpan DeadlineScanInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Largest image any front door accepts, checked before it is stored.</summary>
    public long MaxImageBytes { get; init; } = 20L * 1024 * 1024;
    /// <summary>How long <c>POST /api/v1/classify</c> waits for the result before answering 504 (the stages get it as their deadline).</summary>
    public TimeSpan ClassifyTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How often a caller waiting for a result re-reads the store, in case the result's notification was lost.</summary>
    public TimeSpan ResultPollInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Submissions in flight (all orchestrators together) beyond which new ones are refused with OVERLOADED (429 / RESOURCE_EXHAUSTED).</summary>
    public int MaxInFlight { get; init; } = 10_000;
    /// <summary>Results a <c>WatchResults</c> stream may fall behind before it is ended.</summary>
    public int WatchBuffer { get; init; } = 1000;
    /// <summary>Limits of the stage-answer endpoint (every gate and classifier answer passes through it).</summary>
    public ConsumerLimits Endpoint { get; init; } = new() { ConcurrentMessageLimit = 64, PrefetchCount = 128 };
    public StoreOptions Store { get; init; } = new();

    public void Validate()
    {
        if (StageTimeout <= TimeSpan.Zero) throw new ArgumentException($"{Section}:StageTimeout must be positive, was {StageTimeout}.");
        if (ResultRetention <= TimeSpan.Zero) throw new ArgumentException($"{Section}:ResultRetention must be positive, was {ResultRetention}.");
        if (DeadlineScanInterval <= TimeSpan.Zero) throw new ArgumentException($"{Section}:DeadlineScanInterval must be positive, was {DeadlineScanInterval}.");
        if (MaxImageBytes < 1) throw new ArgumentException($"{Section}:MaxImageBytes must be positive, was {MaxImageBytes}.");
        if (ClassifyTimeout <= TimeSpan.Zero) throw new ArgumentException($"{Section}:ClassifyTimeout must be positive, was {ClassifyTimeout}.");
        if (ResultPollInterval <= TimeSpan.Zero) throw new ArgumentException($"{Section}:ResultPollInterval must be positive, was {ResultPollInterval}.");
        if (MaxInFlight < 1) throw new ArgumentException($"{Section}:MaxInFlight must be at least 1, was {MaxInFlight}.");
        if (WatchBuffer < 1) throw new ArgumentException($"{Section}:WatchBuffer must be at least 1, was {WatchBuffer}.");
    }
}
