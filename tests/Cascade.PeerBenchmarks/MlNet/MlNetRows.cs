namespace Cascade.PeerBenchmarks.MlNet;

/// <summary>The gate pipeline's input: one image file.</summary>
public sealed class ImagePathRow
{
    public string Path { get; set; } = "";
}

/// <summary>ExtractPixels' output: the resized square, planar RGB, 0..255.</summary>
public sealed class PixelsRow
{
    public float[] Pixels { get; set; } = [];
}

/// <summary>The model input: the normalized centre crop, CHW (its size is declared at run time from the manifest).</summary>
public sealed class TensorRow
{
    public float[] Tensor { get; set; } = [];
}

/// <summary>The gate engine's answer: the tensor it built (handed to the classifier) and its logits.</summary>
public sealed class GateRow
{
    public float[] Tensor { get; set; } = [];
    public float[] Logits { get; set; } = [];
}

/// <summary>The classifier engine's answer.</summary>
public sealed class LogitsRow
{
    public float[] Logits { get; set; } = [];
}
