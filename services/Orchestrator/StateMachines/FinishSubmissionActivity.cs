using Cascade.Contracts;
using Cascade.Orchestrator.Grpc;
using Cascade.Orchestrator.Submissions;
using Cascade.ServiceDefaults.Metrics;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;

namespace Cascade.Orchestrator.StateMachines;

/// <summary>
/// What entering a final state does: makes the result visible to queries and waiters at once (the saga lives in
/// the orchestrator, next to the result store, so no trip through the broker), and publishes the one
/// result as plain JSON in the one result schema (<see cref="ResultJsonMessage"/>; no MassTransit envelope, so any AMQP
/// client reads it) on the <c>cascade.results</c> fanout exchange, with a copy to the submitter's reply queue.
/// </summary>
public sealed class FinishSubmissionActivity(ResultStore results, OrchestratorOptions options, TimeProvider time, ILogger<FinishSubmissionActivity> logger)
    : IStateMachineActivity<SubmissionState>
{
    public const string ResultsExchange = "cascade.results";
    private static readonly Uri ResultsAddress = new($"exchange:{ResultsExchange}?type=fanout");
    private static readonly IMessageSerializer RawJson = new SystemTextJsonRawMessageSerializer(RawSerializerOptions.Default);

    public async Task Execute(BehaviorContext<SubmissionState> context, IBehavior<SubmissionState> next)
    {
        await FinishAsync(context).ConfigureAwait(false);
        await next.Execute(context).ConfigureAwait(false);
    }

    public async Task Execute<T>(BehaviorContext<SubmissionState, T> context, IBehavior<SubmissionState, T> next) where T : class
    {
        await FinishAsync(context).ConfigureAwait(false);
        await next.Execute(context).ConfigureAwait(false);
    }

    private async Task FinishAsync(BehaviorContext<SubmissionState> context)
    {
        var now = time.GetUtcNow();
        var result = SubmissionStateMachine.Result(context.Saga, now);
        // Metrics first: whoever is woken by the result and then scrapes /metrics must find it counted.
        ServiceMetrics.RecordFinished(result);
        results.Complete(result, now + options.ResultRetention);
        logger.LogInformation("Submission finished {Status}: {Verdict} {Label} in {TotalMs:0.0} ms {ErrorCode} (trace {TraceId})",
            result.Status, result.Verdict, result.Label, result.TotalMs, result.ErrorCode, result.TraceId);

        var message = new ResultJsonMessage(result.ToMessage());
        var exchange = await context.GetSendEndpoint(ResultsAddress).ConfigureAwait(false);
        await exchange.Send(message, s => s.Serializer = RawJson).ConfigureAwait(false);
        if (result.ReplyTo is { Length: > 0 } replyTo)
        {
            var reply = await context.GetSendEndpoint(new Uri($"queue:{replyTo}")).ConfigureAwait(false);
            await reply.Send(message, s => s.Serializer = RawJson).ConfigureAwait(false);
        }
    }

    public Task Faulted<TException>(BehaviorExceptionContext<SubmissionState, TException> context, IBehavior<SubmissionState> next) where TException : Exception =>
        next.Faulted(context);

    public Task Faulted<T, TException>(BehaviorExceptionContext<SubmissionState, T, TException> context, IBehavior<SubmissionState, T> next)
        where T : class where TException : Exception =>
        next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("finish-submission");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
