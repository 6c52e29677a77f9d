using System.Runtime.InteropServices;

namespace Cascade.Imaging.Interop;

/// <summary>Process-wide libvips start-up, done once on first use.</summary>
internal static class VipsRuntime
{
    private static readonly Lazy<bool> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureInitialized() => _ = Initialized.Value;

    private static bool Initialize()
    {
        try
        {
            if (LibVips.vips_init("cascade") != 0)
                throw new InvalidOperationException($"vips_init failed: {TakeError()}");
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException("libvips is not installed (Debian/Ubuntu: apt-get install libvips42).", e);
        }
        // Every image is decoded once; the operation cache would only hold memory (and skew benchmarks).
        LibVips.vips_cache_set_max(0);
        // Parallelism comes from concurrent requests, not from threads inside one small decode.
        LibVips.vips_concurrency_set(1);
        return true;
    }

    /// <summary>Reads and clears libvips' error buffer.</summary>
    public static string TakeError()
    {
        var text = Marshal.PtrToStringUTF8(LibVips.vips_error_buffer())?.Trim() ?? "";
        LibVips.vips_error_clear();
        return text.Length == 0 ? "unknown libvips error" : text.Replace('\n', ' ');
    }
}
