using System.Text.Json.Nodes;
using Cascade.Inference.Packs;

namespace Cascade.Inference.Tests;

/// <summary>Loading refuses packs whose manifest disagrees with the model, naming the mismatch.</summary>
public class ModelPackTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cascade-pack-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PackWith(Action<JsonNode> edit, string source = "classifier-mobilenetv2-fp32")
    {
        var original = Path.Combine(SharedAssets.ModelDirectory, source);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(original, ModelManifest.FileName)))!;
        edit(manifest);
        File.WriteAllText(Path.Combine(_folder, ModelManifest.FileName), manifest.ToJsonString());
        File.Copy(Path.Combine(original, ModelManifest.ModelFileName), Path.Combine(_folder, ModelManifest.ModelFileName), overwrite: true);
        return _folder;
    }

    private static string LoadError(string folder) =>
        FluentActions.Invoking(() => SharedAssets.Store().Load(folder)).Should().Throw<ModelPackException>().Which.Message;

    [Fact]
    public void Reference_pack_loads()
    {
        using var pack = SharedAssets.Store().Load("squeezenet1.1-fp16");
        pack.MaxBatch.Should().Be(1, "this SqueezeNet file has a fixed batch of 1");
        pack.OutputSize.Should().Be(1000);
    }

    [Fact]
    public void Wrong_input_name_is_named() =>
        LoadError(PackWith(m => m["input"]!["name"] = "pixels")).Should().Contain("'pixels'").And.Contain("'input'");

    [Fact]
    public void Wrong_input_size_is_named() =>
        LoadError(PackWith(m => { m["input"]!["width"] = 299; m["input"]!["height"] = 299; m["input"]!["shortSide"] = 320; })).Should().Contain("299");

    [Fact]
    public void Wrong_class_count_is_named() =>
        LoadError(PackWith(m => m["output"]!["classes"] = 1001)).Should().Contain("1001 classes");

    [Fact]
    public void Wrong_element_type_is_named() =>
        LoadError(PackWith(m => m["input"]!["elementType"] = "float16")).Should().Contain("Float16");

    [Fact]
    public void Model_not_matching_the_hash_is_refused() =>
        LoadError(PackWith(m => m["model"]!["sha256"] = new string('0', 64))).Should().Contain("sha256");

    [Fact]
    public void Group_outside_the_output_is_refused() =>
        LoadError(PackWith(m => m["groups"]!["teddy"] = new JsonArray(5000))).Should().Contain("group 'teddy'");

    [Fact]
    public void Unknown_manifest_field_is_refused() =>
        LoadError(PackWith(m => m["treshold"] = 0.5)).Should().Contain("treshold");
}
