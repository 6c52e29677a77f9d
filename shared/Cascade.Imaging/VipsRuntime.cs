using NetVips;
using Vips = NetVips.NetVips;

namespace Cascade.Imaging;

/// <summary>
/// Process-wide libvips settings, applied once before the first decode or encode. libvips itself comes from the
/// NetVips.Native.linux-x64 package, which copies it into every output folder.
/// </summary>
internal static class VipsRuntime
{
    /// <summary>
    /// The loader classes a server runs on untrusted uploads; each covers its file, buffer and source variants.
    /// Every other loader (SVG, HEIF, UltraHDR, CSV, matrix, vips-native, raw ...) is blocked: a blocked loader is
    /// never chosen, so such input is "not a known format" before any of its parsing code runs. GIF is libnsgif.
    /// </summary>
    private static readonly string[] AllowedLoaderClasses =
        ["VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp", "VipsForeignLoadNsgif", "VipsForeignLoadTiff"];

    /// <summary>The names <see cref="Image.FindLoadSource"/> returns for the allowed loaders (we load from a <see cref="Source"/>).</summary>
    private static readonly HashSet<string> AllowedSourceLoaders = AllowedLoaderClasses.Select(loader => loader + "Source").ToHashSet(StringComparer.Ordinal);

    private static readonly Lazy<bool> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureInitialized() => _ = Initialized.Value;

    /// <summary>Whether <paramref name="loader"/>, a name from <see cref="Image.FindLoadSource"/>, is one this server runs.</summary>
    public static bool IsAllowedSourceLoader(string? loader) => loader is not null && AllowedSourceLoaders.Contains(loader);

    private static bool Initialize()
    {
        if (!ModuleInitializer.VipsInitialized)
            throw new InvalidOperationException($"libvips did not start (is the NetVips.Native.linux-x64 package's libvips.so.42 next to the app?): {ModuleInitializer.Exception?.Message}",
                ModuleInitializer.Exception);
        VipsLog.Install();
        // Every image is decoded once; the operation cache would only hold memory (and skew benchmarks).
        Cache.Max = 0;
        // Parallelism comes from concurrent requests, not from threads inside one small decode.
        Vips.Concurrency = 1;
        // Blocking is process-wide: it applies to any other libvips user in this process too, which is the point.
        Vips.BlockUntrusted = true;
        Operation.Block("VipsForeignLoad", true);
        foreach (var loader in AllowedLoaderClasses) Operation.Block(loader, false);
        return true;
    }
}
