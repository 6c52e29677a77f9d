namespace Cascade.Services.Tests.Fixtures;

public static class TestImages
{
    public static byte[] Grizzly(int index = 0) => Photo(Path.Combine("bears", "grizzly"), index);
    public static byte[] Teddy(int index = 0) => Photo(Path.Combine("bears", "teddy"), index);
    public static byte[] Negative(int index = 0) => Photo("negatives", index);
    public static byte[] Corrupt() => [0xFF, 0xD8, 0xFF, 0xE0, .. "this is not a JPEG"u8.ToArray(), 0x00, 0x13, 0x37];

    private static byte[] Photo(string folder, int index) =>
        File.ReadAllBytes(Directory.GetFiles(Path.Combine(SharedAssets.Data, folder), "*.jpg").Order(StringComparer.Ordinal).ElementAt(index));

    /// <summary>
    /// A valid PNG of at least <paramref name="minBytes"/>: a square of RGB gradient stored without compression,
    /// so it is large on the wire but cheap to make and decode.
    /// </summary>
    public static byte[] LargePng(long minBytes)
    {
        var side = (int)Math.Ceiling(Math.Sqrt(minBytes / 3.0));
        return PngFile.Rgb(side, side, zlib =>
        {
            var row = new byte[1 + side * 3];
            for (var y = 0; y < side; y++)
            {
                for (var x = 0; x < side; x++)
                {
                    row[1 + x * 3] = (byte)(x * 255 / side);
                    row[2 + x * 3] = (byte)(y * 255 / side);
                    row[3 + x * 3] = 128;
                }
                zlib.Write(row);
            }
        }, System.IO.Compression.CompressionLevel.NoCompression);
    }
}
