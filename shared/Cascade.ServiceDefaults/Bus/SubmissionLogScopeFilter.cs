using Cascade.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// Every log line written while consuming a message about a submission carries <c>SubmissionId</c> (and, through
/// the logger's activity tracking, the trace and span ids), so one submission's lines can be found across services.
/// </summary>
public sealed class SubmissionLogScopeFilter<T>(ILogger<SubmissionLogScopeFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.Message is not ISubmissionMessage message)
        {
            await next.Send(context);
            return;
        }
        using (logger.BeginScope(new Dictionary<string, object> { ["SubmissionId"] = message.SubmissionId }))
            await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("submissionLogScope");
}
