using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace Cascade.Inference.Runtime;

/// <summary>Builds ONNX Runtime sessions with the configured execution provider and threads.</summary>
public sealed class SessionFactory
{
    private static int _loggedEnvironment;
    private readonly InferenceOptions _options;
    private readonly ILogger _logger;

    public SessionFactory(InferenceOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        if (Interlocked.Exchange(ref _loggedEnvironment, 1) == 0)
        {
            _logger.LogInformation("ONNX Runtime {Version}; available providers: {Providers}; configured provider {Provider}, intra-op threads {Threads}; " +
                "CPU has VNNI: {Vnni}, so int8 kernels {Int8Kernels} (Inference:ExactInt8 {ExactInt8})",
                OrtEnv.Instance().GetVersionString(), string.Join(", ", OrtEnv.Instance().GetAvailableProviders()),
                options.ExecutionProvider, options.IntraOpThreads == 0 ? "all cores" : options.IntraOpThreads,
                Int8Kernels.CpuHasVnni, Int8Kernels.UseExact(options.ExactInt8) ? "exact U8U8" : "fast u8s8", options.ExactInt8);
        }
    }

    /// <summary>The provider the session actually got: CUDA may fall back to CPU.</summary>
    public InferenceSession Create(string modelPath, out ExecutionProvider provider)
    {
        provider = _options.ExecutionProvider;
        var options = NewCpuOptions();
        if (provider == ExecutionProvider.Cuda)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                _logger.LogWarning("CUDA execution provider requested but it cannot load ({Reason}); running {Model} on CPU",
                    e.Message.Split('\n')[0], Path.GetFileName(Path.GetDirectoryName(modelPath)));
                options.Dispose();
                options = NewCpuOptions();
                provider = ExecutionProvider.Cpu;
            }
        }
        using (options)
        {
            return new InferenceSession(modelPath, options);
        }
    }

    private SessionOptions NewCpuOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = _options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            EnableCpuMemArena = _options.CpuMemoryArena,
            EnableMemoryPattern = _options.MemoryPattern,
        };
        // Idle ORT worker threads spin by default, taking the cores that decode the next images away from them.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", _options.AllowSpinning ? "1" : "0");
        Int8Kernels.Choose(options, _options.ExactInt8);
        return options;
    }
}
