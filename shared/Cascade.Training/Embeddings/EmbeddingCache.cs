using System.Runtime.InteropServices;

namespace Cascade.Training.Embeddings;

/// <summary>
/// Embeddings on disk, one small file per (backbone sha256 and stored tensors, image content hash, view): a second training
/// run, or one with other head settings, skips the backbone entirely. Writes are atomic (temp file + rename),
/// so concurrent or interrupted runs never leave a torn entry.
/// </summary>
public sealed class EmbeddingCache(string directory)
{
    public string Directory { get; } = directory;

    public bool TryRead(string backboneKey, string contentHash, string viewKey, Span<float> embedding)
    {
        var path = PathOf(backboneKey, contentHash, viewKey);
        if (!File.Exists(path)) return false;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != embedding.Length * sizeof(float)) return false;
        MemoryMarshal.Cast<byte, float>(bytes).CopyTo(embedding);
        return true;
    }

    public void Write(string backboneKey, string contentHash, string viewKey, ReadOnlySpan<float> embedding)
    {
        var path = PathOf(backboneKey, contentHash, viewKey);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        File.WriteAllBytes(temp, MemoryMarshal.AsBytes(embedding).ToArray());
        File.Move(temp, path, overwrite: true);
    }

    private string PathOf(string backboneKey, string contentHash, string viewKey) =>
        Path.Combine(Directory, backboneKey, contentHash[..2], $"{contentHash}.{viewKey}.f32");
}
