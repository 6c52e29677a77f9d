using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Cascade.Imaging;
using Cascade.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Cascade.Inference.Packs;

/// <summary>
/// A loaded model pack: the manifest, checked against the model file's sha256 and its own input/output
/// metadata, and one reused ONNX Runtime session. <see cref="Run"/> is thread-safe.
/// </summary>
public sealed class ModelPack : IDisposable
{
    private readonly InferenceSession _session;
    private readonly long[] _outputShapeTail;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private ModelPack(string directory, ModelManifest manifest, InferenceSession session, ExecutionProvider provider, int maxBatch, long[] outputShapeTail)
    {
        Directory = directory;
        Manifest = manifest;
        _session = session;
        Provider = provider;
        MaxBatch = maxBatch;
        _outputShapeTail = outputShapeTail;
        _inputNames = [manifest.Input.Name];
        _outputNames = [manifest.Output.Name];
        Resize = manifest.Input.ToResizeSpec();
        Layout = manifest.Input.ToTensorLayout();
    }

    public string Directory { get; }
    public ModelManifest Manifest { get; }
    public ExecutionProvider Provider { get; }
    /// <summary>Largest batch the model accepts (1 for fixed-batch models).</summary>
    public int MaxBatch { get; }
    public ResizeSpec Resize { get; }
    public TensorLayout Layout { get; }
    public int InputElements => Layout.ElementCount;
    public int Classes => Manifest.Output.Classes;
    public string DisplayName => $"{Manifest.Name}@{Manifest.Version}";

    public static ModelPack Load(string directory, SessionFactory sessions)
    {
        var manifest = ModelManifest.Read(Path.Combine(directory, ModelManifest.FileName));
        var modelPath = Path.Combine(directory, ModelManifest.ModelFileName);
        if (!File.Exists(modelPath))
            throw new ModelPackException($"{directory}: {ModelManifest.ModelFileName} is missing; run `cascade models pull` first.");
        var actual = Sha256Of(modelPath);
        if (!actual.Equals(manifest.Model.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelPackException($"{modelPath}: sha256 is {actual} but the manifest says {manifest.Model.Sha256}.");

        InferenceSession session;
        ExecutionProvider provider;
        try
        {
            session = sessions.Create(modelPath, out provider);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelPackException($"{modelPath}: ONNX Runtime cannot load the model: {e.Message}", e);
        }
        try
        {
            var (maxBatch, outputTail) = CheckAgainstModel(manifest, session, directory);
            return new ModelPack(directory, manifest, session, provider, maxBatch, outputTail);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static (int MaxBatch, long[] OutputTail) CheckAgainstModel(ModelManifest manifest, InferenceSession session, string source)
    {
        if (!session.InputMetadata.TryGetValue(manifest.Input.Name, out var input))
            throw new ModelPackException($"{source}: manifest input '{manifest.Input.Name}' is not a model input; the model has {Describe(session.InputMetadata)}.");
        if (session.InputMetadata.Count != 1)
            throw new ModelPackException($"{source}: the model has {session.InputMetadata.Count} inputs ({Describe(session.InputMetadata)}); packs support one image input.");
        var expectedType = manifest.Input.ElementType == TensorElement.Float16 ? TensorElementType.Float16 : TensorElementType.Float;
        if (input.ElementDataType != expectedType)
            throw new ModelPackException($"{source}: manifest input type is {manifest.Input.ElementType} but the model's '{input.ElementDataType}'.");
        var dims = input.Dimensions;
        if (dims.Length != 4 || (dims[1] > 0 && dims[1] != 3) || (dims[2] > 0 && dims[2] != manifest.Input.Height) || (dims[3] > 0 && dims[3] != manifest.Input.Width))
            throw new ModelPackException($"{source}: manifest input is [N,3,{manifest.Input.Height},{manifest.Input.Width}] but the model's '{manifest.Input.Name}' is [{string.Join(",", dims)}].");
        var maxBatch = dims[0] > 0 ? dims[0] : int.MaxValue;

        if (!session.OutputMetadata.TryGetValue(manifest.Output.Name, out var output))
            throw new ModelPackException($"{source}: manifest output '{manifest.Output.Name}' is not a model output; the model has {Describe(session.OutputMetadata)}.");
        var outDims = output.Dimensions;
        var tail = outDims.Skip(1).Select(d => (long)d).ToArray();
        if (outDims.Length < 2 || tail.Any(d => d <= 0) || tail.Aggregate(1L, (a, d) => a * d) != manifest.Output.Classes)
            throw new ModelPackException($"{source}: manifest output has {manifest.Output.Classes} classes but the model's '{manifest.Output.Name}' is [{string.Join(",", outDims)}].");
        if (output.ElementDataType != expectedType)
            throw new ModelPackException($"{source}: model output '{manifest.Output.Name}' is {output.ElementDataType}, expected {expectedType} like the input.");
        return (maxBatch, tail);
    }

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        string.Join(", ", nodes.Select(n => $"'{n.Key}' {n.Value.ElementDataType} [{string.Join(",", n.Value.Dimensions)}]"));

    /// <summary>
    /// Runs <paramref name="batch"/> preprocessed images (<paramref name="input"/>, CHW each) and writes
    /// probabilities (the manifest's activation applied) to <paramref name="probabilities"/>, <see cref="Classes"/> per image.
    /// </summary>
    public void Run(ReadOnlySpan<float> input, int batch, Span<float> probabilities)
    {
        if (batch < 1 || batch > MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch), $"Batch {batch} is outside 1..{MaxBatch} for {DisplayName}.");
        var inputCount = batch * InputElements;
        var outputCount = batch * Classes;
        if (input.Length < inputCount) throw new ArgumentException($"Input holds {input.Length} floats; {inputCount} needed.");
        if (probabilities.Length < outputCount) throw new ArgumentException($"Output holds {probabilities.Length} floats; {outputCount} needed.");

        long[] inputShape = [batch, 3, Layout.Height, Layout.Width];
        long[] outputShape = [batch, .. _outputShapeTail];
        if (Manifest.Input.ElementType == TensorElement.Float16)
            RunHalf(input[..inputCount], inputShape, outputShape, probabilities[..outputCount]);
        else
            RunSingle(input[..inputCount], inputShape, outputShape, probabilities[..outputCount]);

        for (var i = 0; i < batch; i++) Activate(probabilities.Slice(i * Classes, Classes));
    }

    /// <summary>
    /// <see cref="Run(ReadOnlySpan{float}, int, Span{float})"/> on arrays: float32 models read and write them in place
    /// (no pooled copies of a 10 MB batch), which is what the batcher calls.
    /// </summary>
    public void Run(float[] input, int batch, float[] probabilities)
    {
        if (Manifest.Input.ElementType == TensorElement.Float16)
        {
            Run(input.AsSpan(), batch, probabilities.AsSpan());
            return;
        }
        if (batch < 1 || batch > MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch), $"Batch {batch} is outside 1..{MaxBatch} for {DisplayName}.");
        var inputCount = batch * InputElements;
        var outputCount = batch * Classes;
        if (input.Length < inputCount) throw new ArgumentException($"Input holds {input.Length} floats; {inputCount} needed.");
        if (probabilities.Length < outputCount) throw new ArgumentException($"Output holds {probabilities.Length} floats; {outputCount} needed.");
        Invoke(new Memory<float>(input, 0, inputCount), [batch, 3, Layout.Height, Layout.Width],
            new Memory<float>(probabilities, 0, outputCount), [batch, .. _outputShapeTail]);
        for (var i = 0; i < batch; i++) Activate(probabilities.AsSpan(i * Classes, Classes));
    }

    private void RunSingle(ReadOnlySpan<float> input, long[] inputShape, long[] outputShape, Span<float> output)
    {
        var inputBuffer = ArrayPool<float>.Shared.Rent(input.Length);
        var outputBuffer = ArrayPool<float>.Shared.Rent(output.Length);
        try
        {
            input.CopyTo(inputBuffer);
            Invoke(new Memory<float>(inputBuffer, 0, input.Length), inputShape, new Memory<float>(outputBuffer, 0, output.Length), outputShape);
            outputBuffer.AsSpan(0, output.Length).CopyTo(output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(inputBuffer);
            ArrayPool<float>.Shared.Return(outputBuffer);
        }
    }

    private void RunHalf(ReadOnlySpan<float> input, long[] inputShape, long[] outputShape, Span<float> output)
    {
        var inputBuffer = ArrayPool<Float16>.Shared.Rent(input.Length);
        var outputBuffer = ArrayPool<Float16>.Shared.Rent(output.Length);
        try
        {
            // ORT's Float16 and System.Half are both IEEE binary16.
            TensorPrimitives.ConvertToHalf(input, MemoryMarshal.Cast<Float16, Half>(inputBuffer.AsSpan(0, input.Length)));
            Invoke(new Memory<Float16>(inputBuffer, 0, input.Length), inputShape, new Memory<Float16>(outputBuffer, 0, output.Length), outputShape);
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<Float16, Half>(outputBuffer.AsSpan(0, output.Length)), output);
        }
        finally
        {
            ArrayPool<Float16>.Shared.Return(inputBuffer);
            ArrayPool<Float16>.Shared.Return(outputBuffer);
        }
    }

    private void Invoke<T>(Memory<T> input, long[] inputShape, Memory<T> output, long[] outputShape) where T : unmanaged
    {
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, inputShape);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output, outputShape);
        _session.Run(null, _inputNames, [inputValue], _outputNames, [outputValue]);
    }

    private void Activate(Span<float> row)
    {
        if (Manifest.Output.Kind == OutputKind.Probabilities) return;
        if (Manifest.Output.Activation == OutputActivation.Softmax) TensorPrimitives.SoftMax(row, row);
        else TensorPrimitives.Sigmoid(row, row);
    }

    public void Dispose() => _session.Dispose();
}
