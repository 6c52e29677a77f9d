using Cascade.Contracts;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults.Metrics;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;

namespace Cascade.Orchestrator.Consumers;

/// <summary>
/// Makes a finished submission visible: stores it for queries and waiters, and sends it as plain JSON (no
/// MassTransit envelope) to the <c>cascade.results</c> fanout exchange and to the submitter's reply queue.
/// </summary>
public sealed class SubmissionFinishedConsumer(ResultStore results, OrchestratorOptions options, TimeProvider time, ILogger<SubmissionFinishedConsumer> logger)
    : IConsumer<SubmissionFinished>
{
    public const string ResultsExchange = "cascade.results";
    private static readonly Uri ResultsAddress = new($"exchange:{ResultsExchange}?type=fanout");
    private static readonly IMessageSerializer RawJson = new SystemTextJsonRawMessageSerializer(RawSerializerOptions.Default);

    public async Task Consume(ConsumeContext<SubmissionFinished> context)
    {
        var result = context.Message;
        results.Complete(result, time.GetUtcNow() + options.ResultRetention);
        ServiceMetrics.RecordFinished(result);
        logger.LogInformation("Submission finished {Status}: {Verdict} {Label} in {TotalMs:0.0} ms {ErrorCode} (trace {TraceId})",
            result.Status, result.Verdict, result.Label, result.TotalMs, result.ErrorCode, result.TraceId);

        var exchange = await context.GetSendEndpoint(ResultsAddress);
        await exchange.Send(result, s => s.Serializer = RawJson);
        if (result.ReplyTo is { Length: > 0 } replyTo)
        {
            var reply = await context.GetSendEndpoint(new Uri($"queue:{replyTo}"));
            await reply.Send(result, s => s.Serializer = RawJson);
        }
    }
}
