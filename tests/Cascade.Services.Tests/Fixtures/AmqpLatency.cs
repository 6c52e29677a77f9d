namespace Cascade.Services.Tests.Fixtures;

/// <summary>
/// One answered submission of an <see cref="AmqpLoadClient"/> run: when it was first published (after the run's
/// first publish) and how long its first final result took from there.
/// </summary>
public readonly record struct AmqpLatency(string ClientRequestId, TimeSpan PublishedAfter, double Milliseconds);
