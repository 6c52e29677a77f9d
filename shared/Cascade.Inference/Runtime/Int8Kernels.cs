using System.Runtime.Intrinsics.X86;
using Microsoft.ML.OnnxRuntime;

namespace Cascade.Inference.Runtime;

/// <summary>Setting <c>Inference:ExactInt8</c>: which of ONNX Runtime's int8 kernels x64 CPUs run.</summary>
public enum ExactInt8Mode
{
    /// <summary>Exact kernels only where the fast ones lose accuracy: x64 CPUs without VNNI.</summary>
    Auto,
    /// <summary>Always the exact U8U8 kernels (about half as fast on CPUs without VNNI).</summary>
    True,
    /// <summary>Always the fast u8s8 kernels.</summary>
    False,
}

/// <summary>
/// Whether this CPU needs ONNX Runtime's exact int8 kernels. Without VNNI its fast u8s8 kernels multiply with AVX2's
/// saturating vpmaddubsw, which overflows on real activations (the int8 gate's recall fell from 0.961 to 0.922);
/// with AVX-VNNI or AVX-512 VNNI, or on other architectures, the fast kernels are exact.
/// </summary>
public static class Int8Kernels
{
    private static readonly Lazy<bool> Vnni = new(DetectVnni);

    /// <summary>True on an x64 CPU with AVX-VNNI or AVX-512 VNNI.</summary>
    public static bool CpuHasVnni => Vnni.Value;

    /// <summary>True when the fast u8s8 kernels would lose accuracy here.</summary>
    public static bool FastKernelsOverflow => X86Base.IsSupported && !CpuHasVnni;

    /// <summary>Sets the kernels <paramref name="mode"/> chooses on <paramref name="options"/>: every session that runs an
    /// int8 model (serving and training alike) must compute the same embeddings.</summary>
    public static void Choose(SessionOptions options, ExactInt8Mode mode) =>
        options.AddSessionConfigEntry("session.x64quantprecision", UseExact(mode) ? "1" : "0");

    public static bool UseExact(ExactInt8Mode mode) => mode switch
    {
        ExactInt8Mode.True => true,
        ExactInt8Mode.False => false,
        _ => FastKernelsOverflow,
    };

    private static bool DetectVnni()
    {
        if (!X86Base.IsSupported) return false;
        if (AvxVnni.IsSupported) return true;
        // .NET has no AVX-512 VNNI check (Ice Lake and Cascade Lake servers have it without AVX-VNNI): Linux lists it.
        try
        {
            return File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ').Contains("avx512_vnni") == true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
