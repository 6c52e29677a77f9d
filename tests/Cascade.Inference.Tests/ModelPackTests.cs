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

    /// <summary>The fused zero-shot head pack, edited, in its own folder; its backbone (the int8 gate pack) comes from the model directory.</summary>
    private static string HeadError(Action<JsonNode> edit)
    {
        var folder = Directory.CreateTempSubdirectory("cascade-head-").FullName;
        try
        {
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedAssets.Packs, "classifier-mobilenetv2-int8-head", ModelManifest.FileName)))!;
            edit(manifest);
            File.WriteAllText(Path.Combine(folder, ModelManifest.FileName), manifest.ToJsonString());
            return FluentActions.Invoking(() => SharedAssets.Store().LoadStage(folder)).Should().Throw<ModelPackException>().Which.Message;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Head_pack_loads_on_the_gate_pack_it_names()
    {
        var stage = SharedAssets.Store().LoadStage("classifier-mobilenetv2-int8-head");
        using var backbone = stage.Backbone;
        using var head = stage.Head;
        backbone.Manifest.Name.Should().Be("gate-mobilenetv2-int8");
        head.Classes.Should().Be(1000);
    }

    [Fact]
    public void Head_pack_naming_another_backbone_sha256_names_both() =>
        HeadError(m => m["backbone"]!["sha256"] = new string('a', 64)).Should().Contain(new string('a', 64)).And.Contain("83530ad8");

    [Fact]
    public void Head_pack_reading_a_tensor_the_backbone_lacks_is_named() =>
        HeadError(m => { m["backbone"]!["tensors"] = new JsonArray("logits"); m["output"]!["name"] = "logits"; }).Should().Contain("'logits'").And.Contain("'output'");

    [Fact]
    public void Head_pack_with_an_input_of_its_own_is_refused() =>
        HeadError(m => m["input"] = JsonNode.Parse(File.ReadAllText(Path.Combine(SharedAssets.Packs, "gate-mobilenetv2-int8", ModelManifest.FileName)))!["input"]!.DeepClone())
            .Should().Contain("input is set");

    [Fact]
    public void Head_pack_without_a_model_reading_two_tensors_is_refused() =>
        HeadError(m => m["backbone"]!["tensors"] = new JsonArray("output", "472_fp")).Should().Contain("backbone.tensors must be ['output']");

    [Fact]
    public void Unknown_field_in_the_backbone_reference_is_refused() =>
        HeadError(m => m["backbone"]!["sha"] = "x").Should().Contain("sha");

    [Fact]
    public void Backbone_pack_that_decides_is_refused() =>
        LoadError(PackWith(m => m["tensors"] = new JsonArray(new JsonObject { ["name"] = "output", ["size"] = 1000 })))
            .Should().Contain("a backbone pack (tensors) has no output, labels, groups, gate or classifier");

    [Fact]
    public void Backbone_pack_tensor_of_the_wrong_size_is_named() =>
        LoadError(PackWith(m =>
        {
            foreach (var key in new[] { "output", "groups", "classifier" }) m.AsObject().Remove(key);
            m["tensors"] = new JsonArray(new JsonObject { ["name"] = "output", ["size"] = 999 });
        })).Should().Contain("tensor 'output' of size 999").And.Contain(",1000]");
}
