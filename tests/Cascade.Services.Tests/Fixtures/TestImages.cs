using System.Buffers.Binary;
using System.IO.Compression;

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
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, side);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        WriteChunk(png, "IHDR", header);
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.NoCompression, leaveOpen: true))
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
        }
        WriteChunk(png, "IDAT", raw.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc(typeBytes, data));
        png.Write(word);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }
}
