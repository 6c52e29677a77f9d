using System.Globalization;

namespace Cascade.Services.Tests.Faults;

/// <summary>
/// What a <see cref="SoakRun"/> runs, from environment variables (shorter runs while developing it):
/// CASCADE_SOAK_MINUTES (the half-load run, default 10), CASCADE_SOAK_WARMUP_MINUTES (the part of it before memory
/// is expected to be flat, default 2), CASCADE_SOAK_PASS_IMAGES (images per throughput pass, default 600) and
/// CASCADE_SOAK_REPORT (the Markdown report; a CSV of the memory samples goes beside it).
/// </summary>
public sealed record SoakSettings(TimeSpan HalfLoad, TimeSpan WarmUp, int PassImages, string ReportPath)
{
    public string SamplesPath => Path.ChangeExtension(ReportPath, ".csv");

    public static SoakSettings FromEnvironment()
    {
        var halfLoad = TimeSpan.FromMinutes(Number("CASCADE_SOAK_MINUTES", 10));
        var warmUp = TimeSpan.FromMinutes(Number("CASCADE_SOAK_WARMUP_MINUTES", 2));
        if (warmUp >= halfLoad) throw new ArgumentException($"CASCADE_SOAK_WARMUP_MINUTES ({warmUp.TotalMinutes}) must be shorter than CASCADE_SOAK_MINUTES ({halfLoad.TotalMinutes}).");
        var passImages = (int)Number("CASCADE_SOAK_PASS_IMAGES", 600);
        var report = Environment.GetEnvironmentVariable("CASCADE_SOAK_REPORT")
            ?? Path.Combine(Path.GetTempPath(), "cascade-tests", "soak", $"soak-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md");
        return new SoakSettings(halfLoad, warmUp, passImages, Path.GetFullPath(report));
    }

    private static double Number(string variable, double fallback)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text)) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{variable} must be a positive number, was '{text}'.");
    }
}
