using Cascade.Training.Data;
using Cascade.Training.Embeddings;
using Cascade.Training.Synthetic;

namespace Cascade.Training.Training;

/// <summary>
/// Which embeddings a run needs: the centre view of every image, its mirror for validation and test images when a
/// head averages over both (training images already have mirrored augmented views), augmented views of training
/// images, and the synthetic negatives (training ones, then the mining pool). Views of one image are adjacent so it
/// decodes once per scale.
/// </summary>
internal sealed class EmbeddingPlan
{
    public required List<EmbeddingRequest> Requests { get; init; }
    /// <summary>Per dataset sample: the request index of its centre view and of its augmented views.</summary>
    public required int[] Centre { get; init; }
    /// <summary>Per dataset sample: the request index of its mirrored centre view, -1 for training images; empty unless a head uses mirror averaging.</summary>
    public required int[] CentreMirror { get; init; }
    public required int[][] Augmented { get; init; }
    public required int[] SyntheticTrain { get; init; }
    public required int[] SyntheticPool { get; init; }

    public static EmbeddingPlan Build(ImageFolderDataset dataset, TrainingOptions options)
    {
        var shortSide = options.Backbone.Input.ShortSide;
        var requests = new List<EmbeddingRequest>();
        var centre = new int[dataset.Samples.Count];
        var augmented = new int[dataset.Samples.Count][];
        var mirrored = options.Gate is { Enabled: true, MirrorAverage: true } || options.Classifier is { Enabled: true, MirrorAverage: true };
        var centreMirror = new int[mirrored ? dataset.Samples.Count : 0];
        for (var i = 0; i < dataset.Samples.Count; i++)
        {
            var sample = dataset.Samples[i];
            centre[i] = requests.Count;
            requests.Add(EmbeddingRequest.ForFile(sample.Path, sample.ContentHash, AugmentationView.Centre(shortSide)));
            if (mirrored && sample.Split == DatasetSplit.Train) centreMirror[i] = -1;
            else if (mirrored)
            {
                centreMirror[i] = requests.Count;
                requests.Add(EmbeddingRequest.ForFile(sample.Path, sample.ContentHash, AugmentationView.CentreMirror(shortSide)));
            }
            var views = sample.Split == DatasetSplit.Train ? options.Augmentation.Views : 0;
            augmented[i] = new int[views];
            for (var v = 1; v <= views; v++)
            {
                augmented[i][v - 1] = requests.Count;
                requests.Add(EmbeddingRequest.ForFile(sample.Path, sample.ContentHash, AugmentationView.Create(sample.ContentHash, v, shortSide, options.Augmentation)));
            }
        }

        var gate = options.Gate;
        var synthetic = new SyntheticNegativeGenerator(gate.SyntheticSeed, shortSide);
        var syntheticCount = gate.Enabled ? gate.SyntheticNegatives + gate.SyntheticPool : 0;
        var syntheticIndices = new int[syntheticCount];
        for (var s = 0; s < syntheticCount; s++)
        {
            var index = s;
            syntheticIndices[s] = requests.Count;
            requests.Add(EmbeddingRequest.ForGenerated(synthetic.ContentHash(index), () => synthetic.Generate(index), AugmentationView.Centre(shortSide)));
        }
        return new EmbeddingPlan
        {
            Requests = requests,
            Centre = centre,
            CentreMirror = centreMirror,
            Augmented = augmented,
            SyntheticTrain = syntheticIndices[..(gate.Enabled ? gate.SyntheticNegatives : 0)],
            SyntheticPool = syntheticIndices[(gate.Enabled ? gate.SyntheticNegatives : 0)..],
        };
    }
}
