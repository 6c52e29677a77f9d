using NetVips;

namespace Cascade.PeerBenchmarks.Images;

/// <summary>What an image file's header says, read without decoding its pixels.</summary>
public static class ImageHeader
{
    /// <exception cref="PeerInputException">The file is not an image libvips reads.</exception>
    public static int ShortSide(string file)
    {
        try
        {
            using var image = Image.NewFromFile(file);
            return Math.Min(image.Width, image.Height);
        }
        catch (VipsException e)
        {
            throw new PeerInputException($"{file}: not an image ({e.Message.ReplaceLineEndings(" ").Trim()})");
        }
    }
}
