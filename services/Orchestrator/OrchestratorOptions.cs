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
    /// <summary>Limits of the saga's endpoint (every submission event passes through it).</summary>
    public ConsumerLimits Endpoint { get; init; } = new() { ConcurrentMessageLimit = 64, PrefetchCount = 128 };

    public void Validate()
    {
        if (StageTimeout <= TimeSpan.Zero) throw new ArgumentException($"{Section}:StageTimeout must be positive, was {StageTimeout}.");
        if (ResultRetention <= TimeSpan.Zero) throw new ArgumentException($"{Section}:ResultRetention must be positive, was {ResultRetention}.");
        if (DeadlineScanInterval <= TimeSpan.Zero) throw new ArgumentException($"{Section}:DeadlineScanInterval must be positive, was {DeadlineScanInterval}.");
    }
}
