using Cascade.Imaging;
using Cascade.Inference.Packs;

namespace Cascade.Training.Tests;

public static class PackScores
{
    /// <summary>A pack's scores for the photos, [photo, class], in one batch, as the services preprocess them.</summary>
    public static float[] Of(ModelPack model, IReadOnlyList<string> photos)
    {
        var decoder = new ImageDecoder();
        var input = new float[model.InputElements * photos.Count];
        for (var i = 0; i < photos.Count; i++)
        {
            using var image = decoder.Decode(File.ReadAllBytes(photos[i]), model.Resize);
            model.Layout.Write(image, input.AsSpan(i * model.InputElements, model.InputElements));
        }
        var scores = new float[model.Classes * photos.Count];
        model.Run(input, photos.Count, scores);
        return scores;
    }
}
