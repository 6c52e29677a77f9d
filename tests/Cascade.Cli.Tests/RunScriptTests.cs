using System.Text.Json;

namespace Cascade.Cli.Tests;

/// <summary>README command 1 in a pipe: `./run.sh classify --json ... | jq` must see JSON lines only, and no build it does not need.</summary>
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

    /// <summary>
    /// When run.sh builds: the real script in a scratch git checkout, with a stand-in for the .NET SDK's `dotnet` first on
    /// PATH that logs each call (a real build takes minutes; what is under test is run.sh's decision).
    /// </summary>
    [Fact]
    public async Task Run_script_builds_only_after_a_change_and_never_on_stdout()
    {
        using var temp = new TempDirectory();
        var checkout = Directory.CreateDirectory(Path.Combine(temp.Path, "repo")).FullName;
        File.Copy(Path.Combine(SharedAssets.RepoRoot, "run.sh"), Path.Combine(checkout, "run.sh"));
        var source = Path.Combine(checkout, "tools", "Cascade.Cli", "Program.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(source)!);
        File.WriteAllText(source, "// the CLI");
        File.WriteAllText(Path.Combine(checkout, ".gitignore"), "bin/\n");
        var log = Path.Combine(temp.Path, "dotnet-calls.log");
        var fakeSdk = Directory.CreateDirectory(Path.Combine(temp.Path, "sdk")).FullName;
        File.WriteAllText(Path.Combine(fakeSdk, "dotnet"), $$"""
            #!/usr/bin/env bash
            echo "$*" >> '{{log}}'
            if [ "$1" = build ]; then mkdir -p tools/Cascade.Cli/bin/Release/net10.0 && touch tools/Cascade.Cli/bin/Release/net10.0/cascade.dll; echo "Build succeeded."; fi
            if [ "$2" = classify ]; then echo '{"state":"COMPLETED"}'; fi
            """);
        (await ScriptRun.RunAsync("bash", ["-c", $"chmod +x '{fakeSdk}/dotnet' && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm initial"],
            TimeSpan.FromSeconds(30), checkout)).ExitCode.Should().Be(0);
        var environment = new Dictionary<string, string> { ["PATH"] = $"{fakeSdk}:{Environment.GetEnvironmentVariable("PATH")}" };

        async Task<bool> RunBuilds()
        {
            File.Delete(log);
            var run = await ScriptRun.RunAsync("bash", [Path.Combine(checkout, "run.sh"), "classify", "--json", "photo.jpg"], TimeSpan.FromSeconds(30), checkout, environment);
            run.ExitCode.Should().Be(0, run.Error);
            run.Output.Should().Be("{\"state\":\"COMPLETED\"}\n", "stdout is the command's output alone; the build reports on stderr");
            return File.ReadAllLines(log).Any(call => call.StartsWith("build "));
        }

        (await RunBuilds()).Should().BeTrue("nothing is built yet");
        (await RunBuilds()).Should().BeFalse("nothing changed since the last build");
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow);
        (await RunBuilds()).Should().BeTrue("a tracked source changed");
        (await RunBuilds()).Should().BeFalse("that change is built");
        var newFile = Path.Combine(checkout, "tools", "Cascade.Cli", "NewCommand.cs");
        File.WriteAllText(newFile, "// not committed yet");
        (await RunBuilds()).Should().BeTrue("a new source file counts too");
        var ignored = Path.Combine(checkout, "tools", "Cascade.Cli", "bin", "output.txt");
        File.WriteAllText(ignored, "build output");
        (await RunBuilds()).Should().BeFalse("ignored files (build output) do not count");
    }
}
