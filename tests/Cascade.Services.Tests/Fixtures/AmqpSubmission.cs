namespace Cascade.Services.Tests.Fixtures;

/// <summary>One image for the plain-AMQP front door, under the client request id it is (re)submitted with.</summary>
public sealed record AmqpSubmission(string ClientRequestId, byte[] Image);
