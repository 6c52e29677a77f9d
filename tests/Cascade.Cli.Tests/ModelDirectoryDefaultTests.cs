using Cascade.Inference;

namespace Cascade.Cli.Tests;

/// <summary>
/// Where `cascade` keeps its packs when no --model-dir is given: <c>$CASCADE_MODEL_DIR</c>, else
/// <c>$XDG_DATA_HOME/cascade/models</c>, else <c>~/.local/share/cascade/models</c>; never the current folder. Each case is a
/// child process with its own environment (an empty value stands for unset), as `cascade models list` reports the folder.
/// </summary>
public class ModelDirectoryDefaultTests
{
    private const string Unset = "";

    [Theory]
    // CASCADE_MODEL_DIR wins over XDG_DATA_HOME; a relative one is relative to the current folder.
    [InlineData("{temp}/chosen", "{temp}/data", "{temp}/chosen", "($CASCADE_MODEL_DIR)")]
    [InlineData("relative/packs", "{temp}/data", "{cwd}/relative/packs", "($CASCADE_MODEL_DIR)")]
    [InlineData(Unset, "{temp}/data", "{temp}/data/cascade/models", "($XDG_DATA_HOME/cascade/models)")]
    [InlineData(Unset, Unset, "{home}/.local/share/cascade/models", "(the default)")]
    // The XDG spec: a relative XDG_DATA_HOME is invalid and ignored; the reason says so.
    [InlineData(Unset, "data", "{home}/.local/share/cascade/models", "(the default; $XDG_DATA_HOME 'data' is ignored: the XDG spec wants an absolute path)")]
    public async Task Models_list_reports_the_folder_the_environment_chooses(string modelDir, string dataHome, string expectedFolder, string expectedReason)
    {
        using var temp = new TempDirectory();
        var cwd = Directory.CreateDirectory(Path.Combine(temp.Path, "somewhere")).FullName;
        var home = Path.Combine(temp.Path, "home");
        string Expand(string value) => value.Replace("{temp}", temp.Path).Replace("{cwd}", cwd).Replace("{home}", home);
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            [InferenceOptions.ModelDirectoryVariable] = Expand(modelDir),
            [ModelDirectoryLocation.DataHomeVariable] = Expand(dataHome),
        };

        var run = await ScriptRun.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cascade.dll"), "models", "list"], TimeSpan.FromMinutes(1), cwd, environment);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Split('\n')[0].Should().Be($"Model directory: {Expand(expectedFolder)} {expectedReason}");
        run.Output.Should().Contain("gate-mobilenetv2-int8", "the catalog ships beside the command, whatever the current folder");
    }

    [Fact]
    public async Task Model_dir_option_wins_over_the_environment()
    {
        using var temp = new TempDirectory();
        var environment = new Dictionary<string, string> { [InferenceOptions.ModelDirectoryVariable] = Path.Combine(temp.Path, "from-environment") };

        var run = await ScriptRun.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "cascade.dll"), "models", "list", "--model-dir", SharedAssets.ModelDirectory],
            TimeSpan.FromMinutes(1), temp.Path, environment);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Split('\n')[0].Should().Be($"Model directory: {SharedAssets.ModelDirectory} (--model-dir)");
        run.Output.Should().MatchRegex(@"gate-mobilenetv2-int8 +│ [^│]+│ [^│]+│ yes ", "the packs SharedAssets installed are there");
    }
}
