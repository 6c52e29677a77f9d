namespace Cascade.Services.Tests.Fixtures;

/// <summary>Waits for a condition that some other part of the system makes true in its own time.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan within, string because, int everyMs = 50)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within {within.TotalSeconds:0.#} s: {because}.");
            await Task.Delay(everyMs);
        }
    }
}
