namespace Cascade.Cli.Tests;

/// <summary>The README's gRPC example, extracted from README.md and run as a user would paste it, against a live server.</summary>
public class ReadmeGrpcExampleTests
{
    /// <summary>The README asks for Debian's python3-grpcio; a python3 earlier on PATH (pyenv, a venv) may lack it.</summary>
    private const string DebianPython = "/usr/bin";

    [Fact]
    public async Task Readme_grpc_example_runs_verbatim_and_classifies_the_grizzly()
    {
        var snippet = ReadmeSnippet.Read("grpc-example");
        await using var host = await LiveCascadeHost.StartAsync();
        // The snippet runs from the repository root and reads ../shared/data: a scratch root with the repository's
        // protos and the shared photos at the same relative places, so its output stays out of the checkout.
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(Path.Combine(temp.Path, "repo")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "shared"), Path.Combine(SharedAssets.RepoRoot, "shared"));
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "shared"), SharedAssets.SharedRoot);

        var run = await ScriptRun.RunAsync("bash", ["-euo", "pipefail", "-c", snippet], TimeSpan.FromMinutes(2), root, new Dictionary<string, string>
        {
            ["CASCADE_GRPC_ADDRESS"] = $"127.0.0.1:{host.GrpcPort}",
            ["PATH"] = $"{DebianPython}:{Environment.GetEnvironmentVariable("PATH")}",
        });

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Trim().Should().MatchRegex(@"^COMPLETED LABEL grizzly 0\.\d{3}$");
    }
}
