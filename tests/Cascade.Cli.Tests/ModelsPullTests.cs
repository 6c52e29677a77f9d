namespace Cascade.Cli.Tests;

/// <summary>`cascade models pull` from a local mirror, as the README's install section runs it: what each line says it did.</summary>
public class ModelsPullTests
{
    [Fact]
    public async Task Pull_says_what_it_did_for_each_pack_including_a_head_without_a_model()
    {
        using var temp = new TempDirectory();
        string[] pull = [Path.Combine(AppContext.BaseDirectory, "cascade.dll"), "models", "pull", "--from", SharedAssets.Models,
            "--model-dir", Path.Combine(temp.Path, "models"), "gate-mobilenetv2-int8", "classifier-mobilenetv2-int8-head"];

        var first = await ScriptRun.RunAsync("dotnet", pull, TimeSpan.FromMinutes(1), temp.Path);
        var again = await ScriptRun.RunAsync("dotnet", pull, TimeSpan.FromMinutes(1), temp.Path);

        first.ExitCode.Should().Be(0, first.Error);
        first.Output.Should().Contain("classifier-mobilenetv2-int8-head: installed (a head on gate-mobilenetv2-int8, which holds the model)",
            "a head pack has no model of its own: it was not 'already installed' in an empty folder")
            .And.Contain("gate-mobilenetv2-int8: imported (sha256 ok)");
        again.ExitCode.Should().Be(0, again.Error);
        again.Output.Should().Contain("gate-mobilenetv2-int8: already installed (sha256 ok)");
    }
}
