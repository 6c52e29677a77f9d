using System.IO.Compression;
using System.Text.Json.Nodes;
using Cascade.Inference;

namespace Cascade.Cli.Tests;

/// <summary>
/// `cascade` as a user installs it: `dotnet pack` the command (the build these tests run against, not a fresh compile),
/// `dotnet tool install` it from that folder into a tool path, and run the installed command from an unrelated folder,
/// with its packs in the per-user default folder. Classifying a photo loads ONNX Runtime and libvips, which only the
/// tool package can supply here.
/// </summary>
public class DotnetToolInstallTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private const string PackageId = "Cascade.Cli";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Packed_tool_installs_from_a_folder_and_classifies_a_photo_from_anywhere()
    {
        using var temp = new TempDirectory();
        var feed = Path.Combine(temp.Path, "feed");
        var toolPath = Path.Combine(temp.Path, "tools");
        var elsewhere = Directory.CreateDirectory(Path.Combine(temp.Path, "elsewhere")).FullName;
        var home = Path.Combine(temp.Path, "home");
        // Only the folder feed: nothing is fetched from nuget.org.
        var config = Path.Combine(temp.Path, "nuget.config");
        File.WriteAllText(config, $"""<configuration><packageSources><clear /><add key="feed" value="{feed}" /></packageSources></configuration>""");
        // The installed command sees a user of its own: a fresh home, no model directory settings.
        var user = new Dictionary<string, string>
        {
            ["HOME"] = home,
            [ModelDirectoryLocation.DataHomeVariable] = "",
            [InferenceOptions.ModelDirectoryVariable] = "",
        };

        var pack = await ScriptRun.RunAsync("dotnet", ["pack", Path.Combine(SharedAssets.RepoRoot, "tools", "Cascade.Cli"), "-c", Configuration, "--no-build", "-o", feed],
            Timeout);
        pack.ExitCode.Should().Be(0, pack.Output + pack.Error);
        var package = Directory.GetFiles(feed, $"{PackageId}.*.nupkg").Should().ContainSingle().Subject;
        using (var zip = ZipFile.OpenRead(package))
        {
            var natives = zip.Entries.Select(e => e.FullName).Where(n => n.Contains("/runtimes/")).ToList();
            natives.Should().Contain(n => n.EndsWith("/runtimes/linux-x64/native/libonnxruntime.so"))
                .And.Contain(n => n.EndsWith("/runtimes/linux-x64/native/libvips.so.42"))
                .And.OnlyContain(n => n.Contains("/runtimes/linux-x64/"), "other platforms' native builds stay out of the package");
        }

        var install = await ScriptRun.RunAsync("dotnet", ["tool", "install", "--tool-path", toolPath, "--configfile", config, PackageId], Timeout, elsewhere);
        install.ExitCode.Should().Be(0, install.Output + install.Error);
        var cascade = Path.Combine(toolPath, "cascade");

        var help = await ScriptRun.RunAsync(cascade, ["--help"], Timeout, elsewhere, user);
        help.ExitCode.Should().Be(0, help.Error);
        help.Output.Should().Contain("classify").And.Contain("models");

        var pull = await ScriptRun.RunAsync(cascade, ["models", "pull", "--from", SharedAssets.Models, "gate-mobilenetv2-int8", "classifier-mobilenetv2-int8-head"], Timeout, elsewhere, user);
        pull.ExitCode.Should().Be(0, pull.Output + pull.Error);
        var models = Path.Combine(home, ".local", "share", "cascade", "models");
        File.Exists(Path.Combine(models, "gate-mobilenetv2-int8", "model.onnx")).Should().BeTrue("packs go to the per-user folder, not the current one");
        Directory.EnumerateFileSystemEntries(elsewhere).Should().BeEmpty();

        var photo = SharedAssets.Photos("bears/grizzly")[0];
        var classify = await ScriptRun.RunAsync(cascade, ["classify", "--json", photo], Timeout, elsewhere, user);
        classify.ExitCode.Should().Be(0, classify.Error);
        var result = JsonNode.Parse(classify.Output.Trim())!;
        result["verdict"]!.GetValue<string>().Should().Be("LABEL", classify.Output);
        result["label"]!.GetValue<string>().Should().Be("grizzly");
    }
}
