using Cascade.Inference.Packs;
using Cascade.Training.Embeddings;
using Cascade.Training.Heads;
using Cascade.Training.Onnx;

namespace Cascade.Training.Export;

/// <summary>
/// Writes a model pack (model.onnx + model.json) whose model is the backbone with the trained head merged
/// into the same graph: same input and preprocessing as the backbone, one output <see cref="OutputName"/>
/// of logits. The services load it with <see cref="ModelPack.Load"/> like any downloaded pack.
/// </summary>
public static class PackExporter
{
    public const string OutputName = "logits";

    public static ModelManifest ExportGate(string directory, BackboneSpec backbone, HeadFeatures features, LinearHead head, string name, string version,
        string positiveGroup, float threshold, string description)
    {
        if (head.Outputs != 1 || head.Activation != HeadActivation.Sigmoid) throw new ArgumentException("A gate head has one sigmoid output.");
        return Write(directory, backbone, features, head, new ModelManifest
        {
            Name = name,
            Version = version,
            Description = description,
            Model = new ModelSource { Sha256 = new string('0', 64) },
            Input = backbone.Input,
            Output = Output(head),
            Labels = [positiveGroup],
            Groups = new Dictionary<string, int[]> { [positiveGroup] = [0] },
            Gate = new GateDecision { PositiveGroup = positiveGroup, Threshold = threshold },
        });
    }

    /// <summary>Sigmoid heads get the Independent rule with <paramref name="thresholds"/>; softmax heads Argmax with <paramref name="minScore"/>.</summary>
    public static ModelManifest ExportClassifier(string directory, BackboneSpec backbone, HeadFeatures features, LinearHead head, IReadOnlyList<string> labels, string name,
        string version, IReadOnlyDictionary<string, float> thresholds, float minScore, string description)
    {
        if (head.Outputs != labels.Count) throw new ArgumentException($"The head has {head.Outputs} outputs for {labels.Count} labels.");
        var independent = head.Activation == HeadActivation.Sigmoid;
        return Write(directory, backbone, features, head, new ModelManifest
        {
            Name = name,
            Version = version,
            Description = description,
            Model = new ModelSource { Sha256 = new string('0', 64) },
            Input = backbone.Input,
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

    private static ModelManifest Write(string directory, BackboneSpec backbone, HeadFeatures features, LinearHead head, ModelManifest manifest)
    {
        Directory.CreateDirectory(directory);
        var model = OnnxGraphEditor.AppendLinearHead(File.ReadAllBytes(backbone.ModelPath), features, head.Weights, head.Bias, OutputName);
        var modelPath = Path.Combine(directory, ModelManifest.ModelFileName);
        File.WriteAllBytes(modelPath, model);
        // A trained pack lives only where it was written: no URL or mirror name to pull it from.
        manifest = manifest with { Model = new ModelSource { Sha256 = ModelPack.Sha256Of(modelPath) } };
        manifest.Validate(directory);
        manifest.Write(Path.Combine(directory, ModelManifest.FileName));
        return manifest;
    }
}
