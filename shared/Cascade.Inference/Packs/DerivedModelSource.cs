namespace Cascade.Inference.Packs;

/// <summary>
/// <c>model.derivedFrom</c>: a model with no download of its own is made at pull time from an upstream file by a
/// named, deterministic recipe (<see cref="IModelDerivation"/>). The upstream file is checked against
/// <see cref="Sha256"/> before the recipe runs, and the recipe's output against the pack's own <c>model.sha256</c>.
/// </summary>
public sealed record DerivedModelSource
{
    /// <summary>Canonical download URL of the upstream file.</summary>
    public required string Url { get; init; }
    public required string Sha256 { get; init; }
    /// <summary>The upstream file's name in a local mirror folder, used when the mirror lacks the derived model itself.</summary>
    public string? MirrorFileName { get; init; }
    /// <summary>The <see cref="IModelDerivation.Recipe"/> that turns the upstream file into this pack's model.</summary>
    public required string Recipe { get; init; }
}
