using System.Numerics.Tensors;
using Cascade.Inference;
using Cascade.Inference.Packs;
using Cascade.Inference.Runtime;
using Cascade.Training.Data;
using Cascade.Training.Embeddings;
using Cascade.Training.Export;
using Cascade.Training.Heads;
using Cascade.Training.Onnx;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascade.Training.Tests;

/// <summary>Heads on the int8 MobileNetV2: its uint8 pooled embedding, dequantized in the graph.</summary>
public class Int8BackboneTests
{
    [Fact]
    public async Task The_int8_embedding_matches_the_float32_networks_and_a_merged_int8_pack_scores_like_the_managed_head()
    {
        using var temp = new TempDirectory();
        var int8 = BackboneSpec.MobileNetV2Int8(SharedAssets.MobileNetV2Int8);
        BackboneSpec.MobileNetV2EmbeddingOf(SharedAssets.MobileNetV2Int8).Should().Be(BackboneSpec.Int8EmbeddingTensor);
        BackboneSpec.MobileNetV2EmbeddingOf(SharedAssets.MobileNetV2Fp32).Should().Be(BackboneSpec.Fp32EmbeddingTensor);
        var dataset = ImageFolderDataset.Scan(SubsetTrainingFixture.Dataset(perFolder: 6));
        var labelled = dataset.Samples.Where(s => s.Kind == SampleKind.Labelled).ToList();
        var requests = labelled.Select(s => EmbeddingRequest.ForFile(s.Path, s.ContentHash, AugmentationView.Centre(256))).ToList();
        using var int8Extractor = new EmbeddingExtractor(int8, new EmbeddingCache(temp.Path));
        using var fp32Extractor = new EmbeddingExtractor(BackboneSpec.MobileNetV2(SharedAssets.MobileNetV2Fp32), new EmbeddingCache(temp.Path));
        var (quantized, full) = (await int8Extractor.ExtractAsync(requests), await fp32Extractor.ExtractAsync(requests));

        // The fp32 file is this network dequantized, so the embeddings differ only by the activations' quantization: each
        // image's int8 embedding is nearest to its own float32 one, at the same scale.
        for (var i = 0; i < requests.Count; i++)
        {
            var a = quantized[i].AsMemory(0, 1280);
            TensorPrimitives.Min(a.Span).Should().BeGreaterThanOrEqualTo(0, "the pooled embedding follows a ReLU6");
            var nearest = Enumerable.Range(0, requests.Count).MaxBy(j => TensorPrimitives.CosineSimilarity(a.Span, full[j].AsSpan(0, 1280)));
            nearest.Should().Be(i, labelled[i].Path);
            // Quantization moves the norm by some percent; the raw uint8 values (scale about 1/50) would be 50x off.
            (TensorPrimitives.Norm(a.Span) / TensorPrimitives.Norm(full[i].AsSpan(0, 1280))).Should().BeInRange(2 / 3f, 1.5f, labelled[i].Path);
        }

        var features = int8.Features([[850], [294], [294, 295, 296, 297, 850]]);
        var embeddings = quantized.Select(r => features.Compute(r)).ToArray();
        var data = new LabelledEmbeddings(embeddings, labelled.Select(s => Enumerable.Range(0, 3).Select(j => j == s.Label ? 1f : 0f).ToArray()).ToList(),
            labelled.Select(_ => 1f).ToList());
        var head = HeadTrainer.Train(data, null, new HeadOptions { Epochs = 40, BatchSize = 8 }, HeadActivation.Sigmoid);
        var pack = Path.Combine(temp.Path, "pack");
        PackExporter.ExportClassifier(pack, int8, features, head, dataset.Labels, "int8-test", "0.0.1", dataset.Labels.ToDictionary(l => l, _ => 0.5f), 0, "test");
        using var model = ModelPack.Load(pack, new SessionFactory(new InferenceOptions(), NullLogger.Instance));
        var merged = PackScores.Of(model, labelled.Select(l => l.Path).ToList());
        for (var i = 0; i < labelled.Count; i++)
        {
            var managed = head.Scores(embeddings[i]);
            for (var j = 0; j < 3; j++) merged[i * 3 + j].Should().BeApproximately(managed[j], 1e-4f, labelled[i].Path);
        }
    }

    [Fact]
    public void A_quantized_tensor_the_graph_already_dequantizes_is_read_through_that_DequantizeLinear()
    {
        // The int8 network's logits: output_quantized -> DequantizeLinear -> output. A second DequantizeLinear would be
        // the same values under another name; the graph's own float tensor is the one to expose.
        var model = File.ReadAllBytes(SharedAssets.MobileNetV2Int8);
        var (_, outputs) = OnnxGraphEditor.ExposeTensors(model, [("output_quantized", 1000)]);
        outputs.Should().Equal("output");
        var (_, embedding) = OnnxGraphEditor.ExposeTensors(model, [(BackboneSpec.Int8EmbeddingTensor, 1280)]);
        embedding.Should().Equal(BackboneSpec.Int8EmbeddingTensor + "_dequantized");
    }
}
