using Cascade.Inference.Packs;

namespace Cascade.Cli.Tests;

/// <summary>
/// `cascade models pull` as a user with internet runs it: no ../shared mirror folder, every pack fetched from its
/// download URL (here through <c>--download-mirror</c> to a local server holding the upstream files), the two
/// packs without a download of their own derived from their upstream file, and every sha256 checked.
/// </summary>
[Collection("cli")]
public class ModelsPullOnlineTests
{
    [Fact]
    public async Task Every_catalog_pack_installs_from_its_upstream_downloads_alone()
    {
        using var models = new TempDirectory();
        await using var site = await LocalDownloadSite.StartAsync(SharedAssets.Packs, SharedAssets.Models);

        var run = await CliRun.InvokeAsync("models", "pull", "--catalog", SharedAssets.Packs, "--model-dir", models.Path, "--download-mirror", site.MirrorUrl);

        run.ExitCode.Should().Be(0, run.Error);
        var catalog = PackPuller.ReadCatalog(SharedAssets.Packs);
        catalog.Select(p => p.Name).Should().Contain(["classifier-mobilenetv2-fp32", "squeezenet1.1-fp32"]);
        foreach (var (name, manifest) in catalog)
        {
            PackPuller.Verify(Path.Combine(models.Path, name)).Should().BeNull(name);
            // Only upstream files were requested: nothing serves the derived models, they were made here. A head pack
            // without a model is its manifest alone.
            if (manifest.Model is { } model) (model.Url ?? model.DerivedFrom?.Url).Should().NotBeNull($"{name} must be installable online");
            else File.Exists(Path.Combine(models.Path, name, ModelManifest.FileName)).Should().BeTrue(name);
        }
        var upstream = catalog.Select(p => p.Manifest.Model).OfType<ModelSource>().Select(m => m.Url ?? m.DerivedFrom!.Url).Select(u => "/" + new Uri(u).Authority + new Uri(u).AbsolutePath);
        site.Requests.Should().BeEquivalentTo(upstream);
    }

    [Fact]
    public async Task A_tampered_upstream_file_derives_nothing_and_says_which_file()
    {
        using var models = new TempDirectory();
        // The int8 MobileNetV2's URL answers with the SqueezeNet file.
        await using var site = await LocalDownloadSite.StartAsync(SharedAssets.Packs, SharedAssets.Models,
            new Dictionary<string, string> { ["mobilenetv2-12-int8.onnx"] = "squeezenet1.1-fp16.onnx" });

        var run = await CliRun.InvokeAsync("models", "pull", "--catalog", SharedAssets.Packs, "--model-dir", models.Path, "--download-mirror", site.MirrorUrl,
            "classifier-mobilenetv2-fp32");

        run.ExitCode.Should().Be(1, run.Error);
        run.Error.Should().Contain("classifier-mobilenetv2-fp32: upstream file").And.Contain("mobilenetv2-12-int8.onnx has sha256 21f25e3d")
            .And.Contain("derivedFrom expects 83530ad8");
        Directory.GetFiles(Path.Combine(models.Path, "classifier-mobilenetv2-fp32")).Should().NotContain(f => f.EndsWith(".onnx") || f.EndsWith(".partial"));
    }

    [Fact]
    public async Task A_mirror_folder_with_only_upstream_files_derives_the_rest()
    {
        using var mirror = new TempDirectory();
        using var models = new TempDirectory();
        foreach (var file in new[] { "mobilenetv2-12-int8.onnx", "squeezenet1.1-fp16.onnx" })
            File.CreateSymbolicLink(Path.Combine(mirror.Path, file), Path.Combine(SharedAssets.Models, file));

        var run = await CliRun.InvokeAsync("models", "pull", "--catalog", SharedAssets.Packs, "--model-dir", models.Path, "--from", mirror.Path);

        run.ExitCode.Should().Be(0, run.Error);
        foreach (var (name, _) in PackPuller.ReadCatalog(SharedAssets.Packs)) PackPuller.Verify(Path.Combine(models.Path, name)).Should().BeNull(name);
    }

    [Fact]
    public async Task Pulling_a_head_pack_installs_the_backbone_pack_it_names()
    {
        using var models = new TempDirectory();
        await using var site = await LocalDownloadSite.StartAsync(SharedAssets.Packs, SharedAssets.Models);

        var run = await CliRun.InvokeAsync("models", "pull", "--catalog", SharedAssets.Packs, "--model-dir", models.Path, "--download-mirror", site.MirrorUrl,
            "classifier-mobilenetv2-int8-head");

        run.ExitCode.Should().Be(0, run.Error);
        Directory.GetDirectories(models.Path).Select(Path.GetFileName).Should().BeEquivalentTo("classifier-mobilenetv2-int8-head", "gate-mobilenetv2-int8");
        PackPuller.Verify(Path.Combine(models.Path, "gate-mobilenetv2-int8")).Should().BeNull();
    }

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("ftp://mirror.example/")]
    public async Task A_download_mirror_that_is_not_an_http_url_is_refused_before_anything_is_fetched(string mirror)
    {
        using var models = new TempDirectory();

        var run = await CliRun.InvokeAsync("models", "pull", "--catalog", SharedAssets.Packs, "--model-dir", models.Path, "--download-mirror", mirror);

        run.ShouldBeOneErrorLine(CommandErrors.UsageError, $"--download-mirror / $CASCADE_MODEL_DOWNLOAD_MIRROR: '{mirror}' is not an absolute http(s) URL.");
        Directory.GetDirectories(models.Path).Should().BeEmpty();
    }
}
