using Cascade.Imaging;
using Cascade.Inference.Packs;

namespace Cascade.Training.Tests;

public static class PackScores
{
    /// <summary>A whole pack's probabilities for the photos, [photo, class], in one batch, as the services preprocess them.</summary>
    public static float[] Of(ModelPack model, IReadOnlyList<string> photos) => Of(new StagePack(model, ModelHead.Of(model)), photos);

    /// <summary>A stage's probabilities (its backbone in one batch, then its head on each row), [photo, class].</summary>
    public static float[] Of(StagePack stage, IReadOnlyList<string> photos)
    {
        var (model, head) = stage;
        var decoder = new ImageDecoder();
        var input = new float[model.InputElements * photos.Count];
        for (var i = 0; i < photos.Count; i++)
        {
            using var image = decoder.Decode(File.ReadAllBytes(photos[i]), model.Resize);
            model.Layout.Write(image, input.AsSpan(i * model.InputElements, model.InputElements));
        }
        var rows = new float[model.OutputSize * photos.Count];
        model.Run(input, photos.Count, rows);
        var scores = new float[head.Classes * photos.Count];
        var probabilities = new float[head.Classes];
        for (var i = 0; i < photos.Count; i++)
        {
            head.Score(rows.AsSpan(i * model.OutputSize, model.OutputSize).ToArray(), probabilities);
            probabilities.CopyTo(scores, i * head.Classes);
        }
        return scores;
    }
}
