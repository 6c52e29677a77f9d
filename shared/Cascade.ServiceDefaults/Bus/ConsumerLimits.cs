using MassTransit;

namespace Cascade.ServiceDefaults.Bus;

/// <summary>
/// How many messages one receive endpoint handles at once and how many the broker pushes ahead. The model
/// stages batch concurrent requests, so concurrency must be well above the model batch size.
/// </summary>
public sealed record ConsumerLimits
{
    public int ConcurrentMessageLimit { get; init; } = 32;
    public int PrefetchCount { get; init; } = 64;

    public void Apply(IReceiveEndpointConfigurator endpoint)
    {
        if (ConcurrentMessageLimit < 1) throw new ArgumentException($"ConcurrentMessageLimit must be positive, was {ConcurrentMessageLimit}.");
        if (PrefetchCount < ConcurrentMessageLimit) throw new ArgumentException($"PrefetchCount ({PrefetchCount}) must be at least ConcurrentMessageLimit ({ConcurrentMessageLimit}).");
        endpoint.ConcurrentMessageLimit = ConcurrentMessageLimit;
        endpoint.PrefetchCount = PrefetchCount;
    }
}
