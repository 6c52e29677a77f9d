using System.Collections.Concurrent;
using MassTransit;

namespace Cascade.Services.Tests.Fixtures;

/// <summary>Counts what one host's bus consumed, per message type, and keeps the messages and the largest message body it received.</summary>
public sealed class ConsumeCounter : IConsumeObserver
{
    private readonly ConcurrentDictionary<Type, int> _consumed = new();
    private readonly ConcurrentDictionary<Type, long> _largestBody = new();
    private readonly ConcurrentQueue<object> _messages = new();

    public int Consumed<T>() => _consumed.GetValueOrDefault(typeof(T));
    public long LargestBody<T>() => _largestBody.GetValueOrDefault(typeof(T));
    public IEnumerable<T> Messages<T>() => _messages.OfType<T>();

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        var length = context.ReceiveContext.Body.Length ?? 0;
        _largestBody.AddOrUpdate(typeof(T), length, (_, max) => Math.Max(max, length));
        // Kept before consuming: a consumer's own answer can complete the test before PostConsume runs.
        _messages.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        _consumed.AddOrUpdate(typeof(T), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
