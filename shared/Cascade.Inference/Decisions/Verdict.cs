namespace Cascade.Inference.Decisions;

/// <summary>The cascade's final answer for one image.</summary>
public enum Verdict
{
    /// <summary>The gate refused the image.</summary>
    NoObject,
    /// <summary>The gate accepted and the classifier chose a label.</summary>
    Label,
    /// <summary>The gate accepted but the classifier was confident in no label.</summary>
    Unknown,
}
