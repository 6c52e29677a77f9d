using System.Diagnostics.Metrics;
using Cascade.Inference;
using Cascade.Inference.Decisions;
using Cascade.Inference.Packs;
using Cascade.Inference.Pipeline;
using Cascade.Training.Training;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascade.Training.Tests;

/// <summary>
/// `cascade train`'s default layout (a backbone pack and two head packs naming it) against the whole packs of the same
/// training run: the same verdicts and scores on real photos, with one backbone run per image instead of one per stage.
/// </summary>
[Collection(SubsetTrainingCollection.Name)]
public class SharedBackboneExportTests(SubsetTrainingFixture fixture)
{
    [Fact]
    public async Task Head_packs_on_one_backbone_decide_as_whole_packs_with_one_backbone_run_per_image()
    {
        var shared = fixture.Result;
        var whole = await Trainer.RunAsync(fixture.Options with { OutputDirectory = fixture.Options.OutputDirectory + "-whole", PackLayout = PackLayout.Whole });
        shared.BackbonePackDirectories.Should().ContainSingle("both heads average over the mirror, so they read one backbone pack");
        whole.BackbonePackDirectories.Should().BeEmpty();
        whole.GateThreshold.Should().Be(shared.GateThreshold, "the same run trains the same heads");

        var store = new ModelStore(new InferenceOptions { ModelDirectory = fixture.Options.OutputDirectory, IntraOpThreads = 2 }, NullLoggerFactory.Instance);
        await using var fused = store.CreatePipeline(shared.GatePackDirectory!, shared.ClassifierPackDirectory!);
        await using var separate = store.CreatePipeline(whole.GatePackDirectory!, whole.ClassifierPackDirectory!);
        fused.SharesBackbone.Should().BeTrue();
        separate.SharesBackbone.Should().BeFalse();

        var photos = new[] { "bears/teddy", "bears/grizzly", "bears/black", "extra_bears", "negatives" }
            .SelectMany(folder => SharedAssets.Photos(folder).Skip(300).Take(8)).ToList();
        var verdicts = new List<Verdict>();
        using var calls = new BackboneCalls(fused.Gate.Scorer.Pack.Manifest.Name);
        foreach (var photo in photos)
        {
            var image = await File.ReadAllBytesAsync(photo);
            var a = await fused.RunAsync(image);
            var b = await separate.RunAsync(image);
            a.Verdict.Should().Be(b.Verdict, photo);
            a.Label.Should().Be(b.Label, photo);
            a.Gate.Decision.Score.Should().BeApproximately(b.Gate.Decision.Score, 1e-4f, photo);
            if (b.Classifier is not null)
                for (var i = 0; i < b.Classifier.Decision.Scores.Count; i++)
                    a.Classifier!.Decision.Scores[i].Score.Should().BeApproximately(b.Classifier.Decision.Scores[i].Score, 1e-4f, photo);
            verdicts.Add(a.Verdict);
        }
        // Both paths compared: refused images (gate only) and accepted ones (the classifier's head on the gate's outputs).
        verdicts.Should().Contain(Verdict.NoObject).And.Contain(Verdict.Label);
        calls.Images.Should().Be(photos.Count, "the fused cascade runs the backbone once per image, accepted or not");
    }

    [Fact]
    public void The_backbone_packs_manifest_names_its_tensors_and_no_decisions()
    {
        var backbone = fixture.Result.BackbonePackDirectories.Single();
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(backbone, ModelManifest.FileName)));
        var properties = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        properties.Should().Contain(["name", "model", "input", "tensors"]);
        properties.Should().NotContain(["groups", "gate", "classifier", "output", "backbone"]);
    }

    [Fact]
    public void A_head_pack_refuses_a_backbone_with_another_sha256_and_names_both()
    {
        using var temp = new TempDirectory();
        var head = Path.Combine(temp.Path, "gate");
        CopyPack(fixture.Result.GatePackDirectory!, head);
        var backbone = fixture.Result.BackbonePackDirectories.Single();
        var manifest = ModelManifest.Read(Path.Combine(backbone, ModelManifest.FileName));
        // The backbone pack beside the head, with an edited manifest: a model with another sha256 than the head names.
        var other = Path.Combine(temp.Path, manifest.Name);
        CopyPack(backbone, other);
        var otherModel = File.ReadAllBytes(Path.Combine(other, ModelManifest.ModelFileName));
        otherModel[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(other, ModelManifest.ModelFileName), otherModel);
        var otherSha = ModelPack.Sha256Of(Path.Combine(other, ModelManifest.ModelFileName));
        (manifest with { Model = new ModelSource { Sha256 = otherSha } }).Write(Path.Combine(other, ModelManifest.FileName));

        var store = new ModelStore(new InferenceOptions { ModelDirectory = temp.Path, IntraOpThreads = 1 }, NullLoggerFactory.Instance);
        var load = () => store.LoadStage(head);
        load.Should().Throw<ModelPackException>().Which.Message.Should().Contain(manifest.Model!.Sha256).And.Contain(otherSha);
    }

    private static void CopyPack(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    /// <summary>Images the model <paramref name="model"/> ran on, from the batcher's batch-size histogram.</summary>
    private sealed class BackboneCalls : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _images;

        public BackboneCalls(string model)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == InferenceMetrics.MeterName && instrument.Name == "cascade.batch.size") listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                    if (tag.Key == "model" && Equals(tag.Value, model)) Interlocked.Add(ref _images, value);
            });
            _listener.Start();
        }

        public long Images => Interlocked.Read(ref _images);

        public void Dispose() => _listener.Dispose();
    }
}
