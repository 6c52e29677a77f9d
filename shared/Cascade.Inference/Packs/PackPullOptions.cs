namespace Cascade.Inference.Packs;

/// <summary>Where <see cref="PackPuller"/> may fetch from, beyond the URLs in the manifests.</summary>
public sealed record PackPullOptions
{
    /// <summary>The recipes that manifests' <c>model.derivedFrom.recipe</c> may name.</summary>
    public IReadOnlyList<IModelDerivation> Derivations { get; init; } = [];

    /// <summary>
    /// A mirror of the download sites (an artifact proxy, or a test's local server): <c>https://host/path</c> is
    /// fetched as <c>{DownloadMirror}/host/path</c>, so one mirror serves every origin. The sha256 checks are the
    /// same either way, so a mirror cannot change what gets installed.
    /// </summary>
    public Uri? DownloadMirror { get; init; }

    public Uri Resolve(string url)
    {
        var canonical = new Uri(url, UriKind.Absolute);
        if (DownloadMirror is null) return canonical;
        var root = DownloadMirror.AbsoluteUri.TrimEnd('/');
        return new Uri($"{root}/{canonical.Authority}{canonical.PathAndQuery}", UriKind.Absolute);
    }
}
