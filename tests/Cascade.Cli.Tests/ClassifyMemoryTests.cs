namespace Cascade.Cli.Tests;

/// <summary>
/// The peak memory target of issue 14: `cascade classify --json ../shared/data` with the default packs under 300 MB,
/// measured as a user measures it, GNU time's maximum resident set size of the whole process.
/// </summary>
public class ClassifyMemoryTests
{
    private const long TargetKilobytes = 300_000;

    [Fact]
    public async Task Classifying_every_photo_peaks_under_300_MB()
    {
        using var temp = new TempDirectory();
        var peakFile = Path.Combine(temp.Path, "max-rss-kb");
        var photos = Directory.EnumerateFiles(SharedAssets.Data, "*.jpg", SearchOption.AllDirectories).Count();

        var run = await ScriptRun.RunAsync("/usr/bin/time",
            ["-f", "%M", "-o", peakFile, "dotnet", Path.Combine(AppContext.BaseDirectory, "cascade.dll"), "classify", "--json",
                "--model-dir", SharedAssets.ModelDirectory, SharedAssets.Data],
            TimeSpan.FromMinutes(10));

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(photos, "every photo gets its row");
        var peakKilobytes = long.Parse(File.ReadAllText(peakFile).Trim());
        peakKilobytes.Should().BeLessThan(TargetKilobytes, "the whole process's peak resident memory, in kB");
    }
}
