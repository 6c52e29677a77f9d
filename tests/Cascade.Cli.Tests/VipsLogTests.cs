namespace Cascade.Cli.Tests;

/// <summary>
/// libvips reports a truncated JPEG on the process's own stderr (<c>(process:N): VIPS-WARNING **: error in tile 0 x 72</c>)
/// unless its messages are routed: a separate process, since GLib writes to file descriptor 2, which Console.Error does not capture.
/// </summary>
public class VipsLogTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Libvips_warnings_go_to_our_log_not_raw_stderr(bool verbose)
    {
        using var temp = new TempDirectory();
        var photo = File.ReadAllBytes(SharedAssets.Photos("bears/grizzly")[0]);
        var truncated = Path.Combine(temp.Path, "truncated.jpg");
        File.WriteAllBytes(truncated, photo[..(photo.Length * 2 / 3)]);
        string[] args = [Path.Combine(AppContext.BaseDirectory, "cascade.dll"), "classify", "--model-dir", SharedAssets.ModelDirectory, truncated, .. verbose ? ["--verbose"] : Array.Empty<string>()];

        var run = await ScriptRun.RunAsync("dotnet", args, TimeSpan.FromMinutes(2));

        run.Output.Should().Contain("IMAGE_CORRUPT", "the image's row still says what is wrong with it");
        run.Error.Should().NotContain("VIPS-WARNING");
        run.Output.Should().NotContain(Cascade.Imaging.VipsLog.Category, "logs go to stderr, stdout is the command's output");
        if (verbose) run.Error.Should().Contain($"info: {Cascade.Imaging.VipsLog.Category}[0] VIPS: error in tile");
        else run.Error.Should().NotContain(Cascade.Imaging.VipsLog.Category);
    }
}
