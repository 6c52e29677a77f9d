using Cascade.Inference;
using Cascade.Inference.Packs;
using Cascade.Inference.Runtime;
using Cascade.Training.Data;
using Cascade.Training.Embeddings;
using Cascade.Training.Export;
using Cascade.Training.Heads;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascade.Training.Tests;

public class MergedModelTests
{
    [Fact]
    public async Task Head_training_lowers_the_loss_and_the_merged_onnx_scores_like_the_managed_head()
    {
        using var temp = new TempDirectory();
        var backbone = BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32);
        var dataset = ImageFolderDataset.Scan(SubsetTrainingFixture.Dataset(perFolder: 12));
        var labelled = dataset.Samples.Where(s => s.Kind == SampleKind.Labelled).ToList();
        var requests = labelled.Select(s => EmbeddingRequest.ForFile(s.Path, s.ContentHash, AugmentationView.Centre(256))).ToList();
        using var extractor = new EmbeddingExtractor(backbone, new EmbeddingCache(temp.Path));
        var raw = await extractor.ExtractAsync(requests);
        raw.Should().OnlyContain(e => e.Length == 1280 + 1000 && e.Take(1280).Any(v => v != 0));
        // The zero-shot features go through the same merge: teddy, brown bear, all bears.
        var features = backbone.Features([[850], [294], [294, 295, 296, 297, 850]]);
        var embeddings = raw.Select(r => features.Compute(r)).ToArray();

        var data = new LabelledEmbeddings(embeddings, labelled.Select(s => Enumerable.Range(0, 3).Select(j => j == s.Label ? 1f : 0f).ToArray()).ToList(),
            labelled.Select(_ => 1f).ToList());
        var epochs = new List<EpochReport>();
        var head = HeadTrainer.Train(data, null, new HeadOptions { Epochs = 40, BatchSize = 8 }, HeadActivation.Sigmoid, onEpoch: epochs.Add);
        epochs.Last().TrainLoss.Should().BeLessThan(epochs.First().TrainLoss / 4);
        HeadTrainer.Evaluate(head, data, new HeadOptions()).Accuracy.Should().Be(1);

        var pack = Path.Combine(temp.Path, "pack");
        PackExporter.ExportClassifier(pack, backbone, features, head, dataset.Labels, "merged-test", "0.0.1",
            dataset.Labels.ToDictionary(l => l, _ => 0.5f), 0, "test");
        using var model = ModelPack.Load(pack, new SessionFactory(new InferenceOptions(), NullLogger.Instance));

        var merged = PackScores.Of(model, labelled.Select(l => l.Path).ToList());
        for (var i = 0; i < labelled.Count; i++)
        {
            var managed = head.Scores(embeddings[i]);
            for (var j = 0; j < 3; j++) merged[i * 3 + j].Should().BeApproximately(managed[j], 1e-5f, labelled[i].Path);
        }
    }

    [Fact]
    public async Task Mirror_averaging_graph_scores_like_the_managed_head_on_the_mean_of_two_backbone_runs()
    {
        using var temp = new TempDirectory();
        var backbone = BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32);
        var dataset = ImageFolderDataset.Scan(SubsetTrainingFixture.Dataset(perFolder: 3));
        var samples = dataset.Samples.Where(s => s.Kind != SampleKind.Negative).ToList();
        var requests = samples.SelectMany(s => new[]
        {
            EmbeddingRequest.ForFile(s.Path, s.ContentHash, AugmentationView.Centre(256)),
            EmbeddingRequest.ForFile(s.Path, s.ContentHash, AugmentationView.CentreMirror(256)),
        }).ToList();
        using var extractor = new EmbeddingExtractor(backbone, new EmbeddingCache(temp.Path));
        var raw = await extractor.ExtractAsync(requests);
        var features = backbone.Features([[850], [294], [294, 295, 296, 297, 850]], mirrorAverage: true);

        // Small random weights keep the sigmoid off its flat ends, so a wrong average shows in the scores.
        var random = new Random(7);
        var head = new LinearHead(features.Size, 3, HeadActivation.Sigmoid);
        for (var i = 0; i < head.Weights.Length; i++) head.Weights[i] = (random.NextSingle() - 0.5f) * 0.05f;
        var pack = Path.Combine(temp.Path, "pack");
        PackExporter.ExportClassifier(pack, backbone, features, head, dataset.Labels, "mirror-test", "0.0.1", dataset.Labels.ToDictionary(l => l, _ => 0.5f), 0, "test");
        using var model = ModelPack.Load(pack, new SessionFactory(new InferenceOptions(), NullLogger.Instance));

        var merged = PackScores.Of(model, samples.Select(l => l.Path).ToList());
        var differsFromUnmirrored = 0;
        for (var i = 0; i < samples.Count; i++)
        {
            var averaged = head.Scores(features.Compute(raw[2 * i], raw[2 * i + 1]));
            var plain = head.Scores(features.Compute(raw[2 * i]));
            for (var j = 0; j < 3; j++)
            {
                merged[i * 3 + j].Should().BeApproximately(averaged[j], 1e-4f, samples[i].Path);
                if (Math.Abs(merged[i * 3 + j] - plain[j]) > 1e-3f) differsFromUnmirrored++;
            }
        }
        // The mirrored half really is a different image: the scores are not those of the plain centre crop.
        differsFromUnmirrored.Should().BeGreaterThan(samples.Count);
    }

    [Fact]
    public void Merged_graph_drops_the_imagenet_classifier()
    {
        var backbone = File.ReadAllBytes(SharedAssets.MobileNetV2Fp32);
        var features = BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32).Features([]);
        var merged = Onnx.OnnxGraphEditor.AppendLinearHead(backbone, features, new float[2 * 1280], new float[2], "logits");
        // The 1000x1280 float classifier (5 MB) is gone, the 2x1280 head is in.
        merged.Length.Should().BeLessThan(backbone.Length - 5_000_000);
        // Fields the proto subset does not declare (the model's doc_string) survive the edit.
        System.Text.Encoding.ASCII.GetString(merged).Should().Contain("fp32 standard-op rewrite");
        var act = () => Onnx.OnnxGraphEditor.ExposeTensors(backbone, [("no_such_tensor", 1)]);
        act.Should().Throw<ArgumentException>().WithMessage("*no_such_tensor*");
    }
}
