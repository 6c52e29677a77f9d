using MassTransit;

namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// Bounded retry for transient failures (an overloaded model queue, a claim-check read that failed). After the
/// last interval the message faults and lands in the endpoint's _error queue; it is never redelivered forever.
/// Image errors are not retried: the stage consumers turn them into <c>StageFailed</c> events.
/// </summary>
public static class StageRetry
{
    public static void UseStageRetry(this IReceiveEndpointConfigurator endpoint) =>
        endpoint.UseMessageRetry(r => r.Intervals(100, 500, 2000));
}
