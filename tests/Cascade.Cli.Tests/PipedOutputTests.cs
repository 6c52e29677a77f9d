namespace Cascade.Cli.Tests;

/// <summary>`cascade classify` with stdout in a pipe, as `cascade classify DIR | grep ...` or `> out.txt` see it.</summary>
public class PipedOutputTests
{
    [Fact]
    public async Task Piped_table_is_plain_unwrapped_text_with_paths_relative_to_the_folder_given()
    {
        // Two photos with the same file name in different label folders: only the relative path tells them apart.
        using var temp = new TempDirectory();
        var folder = Path.Combine(temp.Path, "photos");
        foreach (var label in new[] { "teddy", "grizzly" })
        {
            Directory.CreateDirectory(Path.Combine(folder, label));
            File.CreateSymbolicLink(Path.Combine(folder, label, "same-name.jpg"), SharedAssets.Photos($"bears/{label}")[0]);
        }

        var run = await ScriptRun.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cascade.dll"), "classify", "--model-dir", SharedAssets.ModelDirectory, folder],
            TimeSpan.FromMinutes(2));

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().NotContain("\u001b[", "a pipe gets no ANSI escape codes");
        var lines = run.Output.Split('\n');
        // Unwrapped: each image's row is one line, wider than the 80 columns Spectre.Console assumes without a terminal,
        // holding the image's path and its verdict.
        lines.Should().ContainSingle(l => l.Contains("teddy/same-name.jpg") && l.Contains("│ teddy ") && l.Length > 80);
        lines.Should().ContainSingle(l => l.Contains("grizzly/same-name.jpg") && l.Contains("│ grizzly ") && l.Length > 80);
    }
}
