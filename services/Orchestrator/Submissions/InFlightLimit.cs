using Cascade.Contracts.Errors;

namespace Cascade.Orchestrator.Submissions;

/// <summary>
/// The front doors' admission limit (<see cref="OrchestratorOptions.MaxInFlight"/>): the store's count of
/// submissions in flight, re-read by the deadline monitor every scan, plus what this process admitted since.
/// Refusing at the door keeps queues, claim checks and the store bounded when callers outrun the stages.
/// </summary>
public sealed class InFlightLimit(OrchestratorOptions options)
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts one more in flight, or throws OVERLOADED when the limit is reached.</summary>
    public void Admit()
    {
        if (Interlocked.Increment(ref _inFlight) <= options.MaxInFlight) return;
        Interlocked.Decrement(ref _inFlight);
        throw new CascadeException(ErrorKind.Overloaded, ErrorCodes.Overloaded,
            $"{options.MaxInFlight} submissions are in flight (Orchestrator:MaxInFlight); retry later.");
    }

    /// <summary>An admitted submission that was not stored after all.</summary>
    public void Release() => Interlocked.Decrement(ref _inFlight);

    /// <summary>The store's count, which also covers the other orchestrators and what finished.</summary>
    public void Refresh(int inFlight) => Volatile.Write(ref _inFlight, inFlight);
}
