using Cascade.Imaging;
using Cascade.Inference.Runtime;

namespace Cascade.Inference;

public enum ExecutionProvider
{
    Cpu,
    Cuda,
}

/// <summary>Settings section <c>Inference</c>. Every value is validated at start-up.</summary>
public sealed record InferenceOptions
{
    public const string Section = "Inference";
    /// <summary>Environment variable that overrides <see cref="ModelDirectory"/>.</summary>
    public const string ModelDirectoryVariable = "CASCADE_MODEL_DIR";

    private readonly string? _modelDirectory;

    /// <summary>Folder holding one sub-folder per model pack; unset, <see cref="DefaultModelDirectory"/>, looked up when
    /// first read, so a configured folder never depends on the environment's HOME.</summary>
    public string ModelDirectory { get => _modelDirectory ?? DefaultModelDirectory(); init => _modelDirectory = value; }
    public ExecutionProvider ExecutionProvider { get; init; } = ExecutionProvider.Cpu;
    public int CudaDeviceId { get; init; }
    /// <summary>Threads ONNX Runtime uses inside one model call; 0 = one per core.</summary>
    public int IntraOpThreads { get; init; }
    /// <summary>Let idle ONNX Runtime threads spin: lower latency for a lone model, worse when decoding shares the cores.</summary>
    public bool AllowSpinning { get; init; }
    /// <summary>
    /// int8 models: ONNX Runtime's fast u8s8 kernels overflow on x64 CPUs without VNNI, which cost the int8 gate 4
    /// points of recall (0.922 instead of 0.961). Auto uses the exact U8U8 kernels (about half as fast there) only
    /// on such CPUs; True and False force one or the other. No effect on float models.
    /// </summary>
    public ExactInt8Mode ExactInt8 { get; init; } = ExactInt8Mode.Auto;
    /// <summary>ONNX Runtime's CPU arena: on, it reuses the activation buffers across calls. Off, every batch
    /// mallocs and page-faults ~100 MB afresh, which ran the cascade 2-4 times slower here (docs/benchmarks.md, "Memory").</summary>
    public bool CpuMemoryArena { get; init; } = true;
    /// <summary>
    /// ONNX Runtime's memory pattern: one pre-planned block per input shape, so batches of 1..16 each keep their own.
    /// Off by default: it bought no images/s and cost memory (docs/benchmarks.md, "Memory").
    /// </summary>
    public bool MemoryPattern { get; init; }
    public BatchingOptions Batching { get; init; } = new();
    public long MaxImageBytes { get; init; } = ImageLimits.DefaultMaxBytes;
    public long MaxImagePixels { get; init; } = ImageLimits.DefaultMaxPixels;

    public ImageLimits ImageLimits => new() { MaxBytes = MaxImageBytes, MaxPixels = MaxImagePixels };

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelDirectory)) throw new ArgumentException($"{Section}:ModelDirectory is empty.");
        if (IntraOpThreads < 0) throw new ArgumentException($"{Section}:IntraOpThreads must be 0 (all cores) or positive, was {IntraOpThreads}.");
        if (CudaDeviceId < 0) throw new ArgumentException($"{Section}:CudaDeviceId must not be negative, was {CudaDeviceId}.");
        ImageLimits.Validate();
        Batching.Validate();
    }

    /// <summary><c>$CASCADE_MODEL_DIR</c>, else the per-user data folder (<see cref="ModelDirectoryLocation"/>).</summary>
    public static string DefaultModelDirectory() => ModelDirectoryLocation.Default().Path;
}

/// <summary>Settings section <c>Inference:Batching</c>.</summary>
public sealed record BatchingOptions
{
    /// <summary>
    /// Largest batch sent to the model in one call (capped by what the model accepts). 4: on this CPU a call costs
    /// the same CPU time per image at 4, 8 or 16, but ONNX Runtime's arena grows in power-of-two regions and holds
    /// the largest activation in one piece, so memory grows faster than the batch: at 16 the fp32 MobileNetV2's
    /// (16x96x112x112 floats, 77 MB) took a 128 MiB region, and `cascade classify` with it peaked at 450 MB; at 8 at
    /// 320 MB, at 4 at 270 MB (docs/benchmarks.md, "Memory, second pass").
    /// </summary>
    public int MaxBatchSize { get; init; } = 4;
    /// <summary>How long the first request of a batch may wait for company.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(2);
    /// <summary>Requests waiting in front of one model before new ones are refused as overloaded.</summary>
    public int QueueCapacity { get; init; } = 256;

    public void Validate()
    {
        if (MaxBatchSize is < 1 or > 1024) throw new ArgumentException($"Batching:MaxBatchSize must be 1..1024, was {MaxBatchSize}.");
        if (MaxWait < TimeSpan.Zero || MaxWait > TimeSpan.FromSeconds(1)) throw new ArgumentException($"Batching:MaxWait must be 0..1s, was {MaxWait}.");
        if (QueueCapacity < 1) throw new ArgumentException($"Batching:QueueCapacity must be positive, was {QueueCapacity}.");
    }
}
