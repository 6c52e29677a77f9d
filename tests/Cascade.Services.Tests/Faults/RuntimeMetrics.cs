using System.Globalization;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// A service's .NET runtime metrics from its Prometheus endpoint (<c>/metrics</c>, the System.Runtime meter): the
/// managed heap a leak of objects would grow, and the GC's pauses, which RSS alone cannot tell from a leak or a stall.
/// </summary>
public static class RuntimeMetrics
{
    private static readonly string[] LongLivedGenerations = ["gen2", "loh", "poh"];

    /// <summary>Gen2 + LOH + POH after the last GC, in MiB, and the GC's total pause time in ms; NaN for what could not be read.</summary>
    public static async Task<(double HeapMiB, double PauseMs)> ScrapeAsync(HttpClient http, int port)
    {
        string text;
        try
        {
            text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (double.NaN, double.NaN);
        }
        var (heap, pause) = (double.NaN, double.NaN);
        foreach (var line in text.Split('\n'))
        {
            // 'dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 2016832'
            if (line.StartsWith("dotnet_gc_last_collection_heap_size_bytes{", StringComparison.Ordinal) && LongLivedGenerations.Any(g => line.Contains($"gc_heap_generation=\"{g}\"", StringComparison.Ordinal)))
                heap = (double.IsNaN(heap) ? 0 : heap) + Value(line) / (1 << 20);
            else if (line.StartsWith("dotnet_gc_pause_time_seconds_total{", StringComparison.Ordinal))
                pause = Value(line) * 1000;
        }
        return (heap, pause);
    }

    private static double Value(string line) => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
