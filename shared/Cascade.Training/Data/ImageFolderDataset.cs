using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cascade.Training.Data;

/// <summary>The scanned dataset: every image with its kind, label and split.</summary>
public sealed class ImageFolderDataset
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff" };

    private ImageFolderDataset(IReadOnlyList<string> labels, IReadOnlyList<ImageSample> samples)
    {
        Labels = labels;
        Samples = samples;
    }

    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<ImageSample> Samples { get; }

    public IEnumerable<ImageSample> In(DatasetSplit split) => Samples.Where(s => s.Split == split);

    /// <summary>Lists and hashes every image (reads each file once); the order is stable (by path).</summary>
    public static ImageFolderDataset Scan(DatasetOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var labels = options.Labels ?? Directory.GetDirectories(options.ClassRoot).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (labels.Count == 0) throw new ArgumentException($"{options.ClassRoot} has no class sub-folders.");

        var sources = new List<(string Path, SampleKind Kind, int Label)>();
        for (var i = 0; i < labels.Count; i++)
        {
            var folder = Path.Combine(options.ClassRoot, labels[i]);
            if (!Directory.Exists(folder)) throw new ArgumentException($"Label folder {folder} does not exist.");
            sources.AddRange(ImagesIn(folder, options.MaxImagesPerFolder).Select(p => (p, SampleKind.Labelled, i)));
        }
        foreach (var folder in options.OtherPositiveFolders) sources.AddRange(ImagesIn(folder, options.MaxImagesPerFolder).Select(p => (p, SampleKind.OtherPositive, -1)));
        foreach (var folder in options.NegativeFolders) sources.AddRange(ImagesIn(folder, options.MaxImagesPerFolder).Select(p => (p, SampleKind.Negative, -1)));

        var samples = new ImageSample[sources.Count];
        Parallel.For(0, sources.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var (path, kind, label) = sources[i];
            var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
            samples[i] = new ImageSample(path, hash, kind, label, Assign(hash, options.Split));
        });
        return new ImageFolderDataset(labels, samples);
    }

    /// <summary>The split of an image with content hash <paramref name="contentHash"/>.</summary>
    public static DatasetSplit Assign(string contentHash, SplitOptions split)
    {
        var u = UnitHash($"{split.Seed}:{contentHash}");
        if (split.Folds == 0)
            return u < split.TestFraction ? DatasetSplit.Test : u < split.TestFraction + split.ValidationFraction ? DatasetSplit.Validation : DatasetSplit.Train;
        if ((int)(u * split.Folds) == split.Fold) return DatasetSplit.Test;
        // Validation is carved from the other folds with an independent hash.
        return UnitHash($"{split.Seed}:validation:{contentHash}") < split.ValidationFraction ? DatasetSplit.Validation : DatasetSplit.Train;
    }

    private static double UnitHash(string text)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return (BinaryPrimitives.ReadUInt64LittleEndian(digest) >> 11) * (1.0 / (1UL << 53));
    }

    private static IEnumerable<string> ImagesIn(string folder, int? limit)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => ImageExtensions.Contains(Path.GetExtension(p)))
            .Order(StringComparer.Ordinal);
        return limit is { } n ? files.Take(n) : files;
    }
}
