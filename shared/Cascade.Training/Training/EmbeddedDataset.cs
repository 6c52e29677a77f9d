using Cascade.Training.Data;
using Cascade.Training.Heads;

namespace Cascade.Training.Training;

/// <summary>The dataset with one head's features per embedding request, sliced into the rows that head trains and validates on.</summary>
internal sealed class EmbeddedDataset(ImageFolderDataset dataset, EmbeddingPlan plan, float[][] embeddings)
{
    public ImageFolderDataset Dataset { get; } = dataset;

    /// <summary>
    /// Gate rows: objects (all views in training) target 1; real negatives (centre view, or all views with
    /// <paramref name="augmentNegatives"/>) and the training synthetic negatives target 0.
    /// </summary>
    /// <paramref name="include"/> filters by sample (index into the dataset), for cross-validation.
    public LabelledEmbeddings GateRows(DatasetSplit split, bool augmentNegatives = false, Func<int, bool>? include = null)
    {
        var features = new List<float[]>();
        var targets = new List<float[]>();
        for (var i = 0; i < Dataset.Samples.Count; i++)
        {
            var sample = Dataset.Samples[i];
            if (sample.Split != split || include?.Invoke(i) == false) continue;
            var rows = sample.IsObject || augmentNegatives ? plan.Augmented[i].Prepend(plan.Centre[i]) : [plan.Centre[i]];
            foreach (var row in rows)
            {
                features.Add(embeddings[row]);
                targets.Add([sample.IsObject ? 1f : 0f]);
            }
        }
        if (split == DatasetSplit.Train)
        {
            foreach (var row in plan.SyntheticTrain)
            {
                features.Add(embeddings[row]);
                targets.Add([0f]);
            }
        }
        return new LabelledEmbeddings(features, targets, Enumerable.Repeat(1f, features.Count).ToList());
    }

    /// <summary>
    /// Samples of <paramref name="split"/> that pass <paramref name="include"/> (default all), with their centre-view
    /// features (mirror-averaged where the head does).
    /// </summary>
    public IEnumerable<(ImageSample Sample, float[] Features)> Centres(DatasetSplit split, Func<int, bool>? include = null) =>
        Enumerable.Range(0, Dataset.Samples.Count)
            .Where(i => Dataset.Samples[i].Split == split && include?.Invoke(i) != false)
            .Select(i => (Dataset.Samples[i], embeddings[plan.Centre[i]]));

    /// <summary>Negatives the gate does not train on unless mined: the synthetic pool, and augmented views of training negatives unless trained on already.</summary>
    public List<float[]> NegativePool(bool augmentNegatives = false)
    {
        var pool = new List<float[]>();
        for (var i = 0; i < Dataset.Samples.Count; i++)
        {
            var sample = Dataset.Samples[i];
            if (sample.Split == DatasetSplit.Train && !sample.IsObject && !augmentNegatives) pool.AddRange(plan.Augmented[i].Select(r => embeddings[r]));
        }
        pool.AddRange(plan.SyntheticPool.Select(r => embeddings[r]));
        return pool;
    }

    /// <summary>
    /// Classifier rows: labelled images one-hot (all views in training); with <paramref name="withNoneOfThese"/>, other
    /// positives (all views) and real negatives (centre) with every target 0.
    /// </summary>
    public LabelledEmbeddings ClassifierRows(DatasetSplit split, bool withNoneOfThese)
    {
        var labels = Dataset.Labels.Count;
        var features = new List<float[]>();
        var targets = new List<float[]>();
        for (var i = 0; i < Dataset.Samples.Count; i++)
        {
            var sample = Dataset.Samples[i];
            if (sample.Split != split) continue;
            if (sample.Kind != SampleKind.Labelled && !withNoneOfThese) continue;
            var rows = sample.Kind == SampleKind.Negative ? [plan.Centre[i]] : plan.Augmented[i].Prepend(plan.Centre[i]);
            foreach (var row in rows)
            {
                var target = new float[labels];
                if (sample.Kind == SampleKind.Labelled) target[sample.Label] = 1;
                features.Add(embeddings[row]);
                targets.Add(target);
            }
        }
        return new LabelledEmbeddings(features, targets, Enumerable.Repeat(1f, features.Count).ToList());
    }
}
