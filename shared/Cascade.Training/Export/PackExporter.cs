using Cascade.Inference.Packs;
using Cascade.Training.Embeddings;
using Cascade.Training.Heads;
using Cascade.Training.Onnx;

namespace Cascade.Training.Export;

/// <summary>
/// Writes model packs (model.onnx + model.json) for trained heads, in one of two forms. On a backbone pack
/// (<see cref="ExportBackbone"/>): each head is a head pack whose small graph reads the backbone pack's tensors, so a
/// gate and a classifier on one backbone share it and the cascade runs it once per image. Whole: the backbone with the
/// head merged into one graph (same input and preprocessing as the backbone), a single self-contained folder. Either way
/// the output <see cref="OutputName"/> is logits, and the services load the packs like any other.
/// </summary>
public static class PackExporter
{
    public const string OutputName = "logits";

    /// <summary>
    /// The backbone pack for heads that read <paramref name="features"/> (the embedding, the logits too when
    /// <paramref name="withLogits"/>), mirror-averaged in its graph when <paramref name="mirrorAverage"/>. Its folder in
    /// <paramref name="outputDirectory"/> is named after the model file, the mirror average and the sha256 of the exported
    /// model, so heads trained on the same backbone share one folder and a different backbone never overwrites it.
    /// </summary>
    public static BackbonePack ExportBackbone(string outputDirectory, BackboneSpec backbone, bool mirrorAverage, bool withLogits, string version)
    {
        IReadOnlyList<(string Name, int Width)> tensors = withLogits
            ? [(backbone.EmbeddingTensor, backbone.EmbeddingSize), (backbone.LogitsTensor ?? throw new ArgumentException("Zero-shot features need the backbone's logits tensor."), backbone.LogitsSize)]
            : [(backbone.EmbeddingTensor, backbone.EmbeddingSize)];
        var (model, outputs) = OnnxGraphEditor.ExposeTensors(File.ReadAllBytes(backbone.ModelPath), tensors, mirrorAverage);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(model));
        var stem = Path.GetFileNameWithoutExtension(backbone.ModelPath);
        var name = $"backbone-{stem}{(mirrorAverage ? "-mirror" : "")}-{sha256[..8]}";
        var directory = Path.Combine(outputDirectory, name);
        var manifest = new ModelManifest
        {
            Name = name,
            Version = version,
            Description = $"Backbone of trained heads: {Path.GetFileName(backbone.ModelPath)} with {string.Join(" and ", tensors.Select(t => t.Name))} as outputs"
                          + (mirrorAverage ? ", each averaged over the image and its mirror." : "."),
            Model = new ModelSource { Sha256 = sha256 },
            Input = backbone.Input,
            Tensors = outputs.Select((o, i) => new TensorSpec(o, tensors[i].Width)).ToList(),
        };
        manifest.Validate(directory);
        Directory.CreateDirectory(directory);
        WriteModel(Path.Combine(directory, ModelManifest.ModelFileName), model, sha256);
        manifest.Write(Path.Combine(directory, ModelManifest.FileName));
        return new BackbonePack(directory, manifest, mirrorAverage);
    }

    public static ModelManifest ExportGate(string directory, BackboneSpec backbone, HeadFeatures features, LinearHead head, string name, string version,
        string positiveGroup, float threshold, string description, BackbonePack? onBackbone = null)
    {
        if (head.Outputs != 1 || head.Activation != HeadActivation.Sigmoid) throw new ArgumentException("A gate head has one sigmoid output.");
        return Write(directory, backbone, features, head, onBackbone, new ModelManifest
        {
            Name = name,
            Version = version,
            Description = description,
            Output = Output(head),
            Labels = [positiveGroup],
            Groups = new Dictionary<string, int[]> { [positiveGroup] = [0] },
            Gate = new GateDecision { PositiveGroup = positiveGroup, Threshold = threshold },
        });
    }

    /// <summary>Sigmoid heads get the Independent rule with <paramref name="thresholds"/>; softmax heads Argmax with <paramref name="minScore"/>.</summary>
    public static ModelManifest ExportClassifier(string directory, BackboneSpec backbone, HeadFeatures features, LinearHead head, IReadOnlyList<string> labels, string name,
        string version, IReadOnlyDictionary<string, float> thresholds, float minScore, string description, BackbonePack? onBackbone = null)
    {
        if (head.Outputs != labels.Count) throw new ArgumentException($"The head has {head.Outputs} outputs for {labels.Count} labels.");
        var independent = head.Activation == HeadActivation.Sigmoid;
        return Write(directory, backbone, features, head, onBackbone, new ModelManifest
        {
            Name = name,
            Version = version,
            Description = description,
            Output = Output(head),
            Labels = labels,
            Groups = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => new[] { p.i }),
            Classifier = new ClassifierDecision
            {
                Labels = labels,
                Rule = independent ? ClassifierRule.Independent : ClassifierRule.Argmax,
                MinScore = independent ? 0 : minScore,
                Thresholds = independent ? thresholds : new Dictionary<string, float>(),
            },
        });
    }

    private static OutputSpec Output(LinearHead head) => new()
    {
        Name = OutputName,
        Kind = OutputKind.Logits,
        Activation = head.Activation == HeadActivation.Softmax ? OutputActivation.Softmax : OutputActivation.Sigmoid,
        Classes = head.Outputs,
    };

    /// <summary>A head pack on <paramref name="onBackbone"/>, else a whole pack; <paramref name="manifest"/> brings the decision.</summary>
    private static ModelManifest Write(string directory, BackboneSpec backbone, HeadFeatures features, LinearHead head, BackbonePack? onBackbone, ModelManifest manifest)
    {
        byte[] model;
        if (onBackbone is null)
        {
            model = OnnxGraphEditor.AppendLinearHead(File.ReadAllBytes(backbone.ModelPath), features, head.Weights, head.Bias, OutputName);
            manifest = manifest with { Input = backbone.Input };
        }
        else
        {
            if (onBackbone.MirrorAverage != features.MirrorAverage)
                throw new ArgumentException($"Backbone pack {onBackbone.Directory} {(onBackbone.MirrorAverage ? "averages" : "does not average")} over the mirror; the head {(features.MirrorAverage ? "does" : "does not")}.");
            var read = onBackbone.Read(features);
            model = OnnxGraphEditor.LinearHeadModel(File.ReadAllBytes(backbone.ModelPath), read, head.Weights, head.Bias, OutputName);
            manifest = manifest with
            {
                Backbone = new BackboneReference { Pack = onBackbone.Manifest.Name, Sha256 = onBackbone.Manifest.Model!.Sha256, Tensors = read.Tensors.Select(t => t.Name).ToList() },
            };
        }
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(model));
        // A trained pack lives only where it was written: no URL or mirror name to pull it from.
        manifest = manifest with { Model = new ModelSource { Sha256 = sha256 } };
        manifest.Validate(directory);
        Directory.CreateDirectory(directory);
        WriteModel(Path.Combine(directory, ModelManifest.ModelFileName), model, sha256);
        manifest.Write(Path.Combine(directory, ModelManifest.FileName));
        return manifest;
    }

    /// <summary>Writes the model unless the same bytes are there already (a second head on one backbone pack, or a re-run).</summary>
    private static void WriteModel(string path, byte[] model, string sha256)
    {
        if (File.Exists(path) && ModelPack.Sha256Of(path) == sha256) return;
        File.WriteAllBytes(path, model);
    }
}
