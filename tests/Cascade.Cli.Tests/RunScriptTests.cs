using System.Text.Json;

namespace Cascade.Cli.Tests;

/// <summary>README command 1 in a pipe: `./run.sh classify --json ... | jq` must see JSON lines only.</summary>
public class RunScriptTests
{
    [Fact]
    public async Task Run_script_json_output_is_pure_json_lines()
    {
        var photo = SharedAssets.Photos("bears/grizzly")[0];
        var run = await ScriptRun.RunAsync("bash", [Path.Combine(SharedAssets.RepoRoot, "run.sh"), "classify", "--json", photo], TimeSpan.FromMinutes(5));

        run.ExitCode.Should().Be(0, run.Error);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle();
        using var result = JsonDocument.Parse(lines[0]);
        result.RootElement.GetProperty("state").GetString().Should().Be("COMPLETED");
    }
}
