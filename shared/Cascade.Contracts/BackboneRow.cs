namespace Cascade.Contracts;

/// <summary>
/// The gate's backbone outputs for one image, forwarded with <see cref="ClassifyImage"/> so that a classifier whose head
/// reads the same backbone runs only that head (microseconds) instead of the whole network again. A few KB inline
/// (1,000 logits, or an embedding and the logits), so no claim check. The image stays the source of truth: a classifier on
/// another backbone, or given a row that does not match its own backbone exactly, ignores the row and runs its backbone.
/// </summary>
public sealed record BackboneRow
{
    /// <summary>sha256 of the backbone's model file: the identity a head pack names its backbone by.</summary>
    public required string ModelSha256 { get; init; }
    /// <summary>The output tensors in row order as <c>name:length</c>, comma-separated, e.g. <c>embedding:1280,logits:1000</c>.</summary>
    public required string Layout { get; init; }
    /// <summary>The row: float32 little-endian, the tensors of <see cref="Layout"/> side by side.</summary>
    public required byte[] Values { get; init; }
}
