using System.Threading.Channels;
using Cascade.Orchestrator.Store;

namespace Cascade.Orchestrator.Outbox;

/// <summary>Outbox entries this process has just committed, with their submission as committed, for the dispatcher to send now.</summary>
public sealed class OutboxQueue
{
    private readonly Channel<(OutboxEntry, SubmissionRecord?)> _committed = Channel.CreateUnbounded<(OutboxEntry, SubmissionRecord?)>();

    public void Deliver(OutboxEntry entry, SubmissionRecord submission) => _committed.Writer.TryWrite((entry, submission));

    public IAsyncEnumerable<(OutboxEntry Entry, SubmissionRecord? Submission)> ReadAllAsync(CancellationToken cancellationToken) =>
        _committed.Reader.ReadAllAsync(cancellationToken);
}
