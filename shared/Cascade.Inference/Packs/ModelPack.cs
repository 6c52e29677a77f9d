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
/// A loaded image model: a whole pack or a backbone pack (<see cref="PackForm"/>), its manifest checked against the model
/// file's sha256 and its own input/output metadata, and one reused ONNX Runtime session. <see cref="Run"/> writes each
/// image's raw output row: the <see cref="Outputs"/> tensors one after another; a <see cref="ModelHead"/> turns a row into
/// probabilities. <see cref="Run"/> is thread-safe.
/// </summary>
public sealed class ModelPack : IDisposable
{
    private readonly InferenceSession _session;
    private readonly long[][] _outputShapeTails;
    private readonly int[] _outputOffsets;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private ModelPack(string directory, ModelManifest manifest, InferenceSession session, ExecutionProvider provider, int maxBatch, long[][] outputShapeTails)
    {
        Directory = directory;
        Manifest = manifest;
        _session = session;
        Provider = provider;
        MaxBatch = maxBatch;
        _outputShapeTails = outputShapeTails;
        Input = manifest.Input!;
        Outputs = OutputsOf(manifest);
        _inputNames = [Input.Name];
        _outputNames = Outputs.Select(o => o.Name).ToArray();
        _outputOffsets = new int[Outputs.Count];
        for (var i = 1; i < Outputs.Count; i++) _outputOffsets[i] = _outputOffsets[i - 1] + Outputs[i - 1].Size;
        OutputSize = Outputs.Sum(o => o.Size);
        OutputLayout = string.Join(',', Outputs.Select(t => $"{t.Name}:{t.Size}"));
        Resize = Input.ToResizeSpec();
        Layout = Input.ToTensorLayout();
    }

    public string Directory { get; }
    public ModelManifest Manifest { get; }
    public InputSpec Input { get; }
    public ExecutionProvider Provider { get; }
    /// <summary>Largest batch the model accepts (1 for fixed-batch models).</summary>
    public int MaxBatch { get; }
    public ResizeSpec Resize { get; }
    public TensorLayout Layout { get; }
    public int InputElements => Layout.ElementCount;
    /// <summary>The tensors of each output row, in order: a whole pack's one output, a backbone pack's <see cref="ModelManifest.Tensors"/>.</summary>
    public IReadOnlyList<TensorSpec> Outputs { get; }
    /// <summary>Values per image in an output row.</summary>
    public int OutputSize { get; }
    /// <summary>The row's tensors as <c>name:length</c>, comma-separated, e.g. <c>embedding:1280,logits:1000</c> (what forwarded rows are checked by).</summary>
    public string OutputLayout { get; }
    /// <summary>sha256 of the model file (checked at load): the identity heads name their backbone by.</summary>
    public string Sha256 => Manifest.Model!.Sha256;
    public string DisplayName => $"{Manifest.Name}@{Manifest.Version}";

    /// <summary>Where <paramref name="tensor"/> starts in an output row, or -1 when the model does not output it.</summary>
    public int OffsetOf(string tensor)
    {
        for (var i = 0; i < Outputs.Count; i++)
            if (Outputs[i].Name == tensor) return _outputOffsets[i];
        return -1;
    }

    private static IReadOnlyList<TensorSpec> OutputsOf(ModelManifest manifest) =>
        manifest.Tensors ?? [new TensorSpec(manifest.Output!.Name, manifest.Output.Classes)];

    public static ModelPack Load(string directory, SessionFactory sessions)
    {
        var manifest = ModelManifest.Read(Path.Combine(directory, ModelManifest.FileName));
        if (manifest.Form == PackForm.Head)
            throw new ModelPackException($"{directory}: a head pack has no image model of its own; load it as a stage (it runs on the backbone pack '{manifest.Backbone!.Pack}').");
        var session = OpenVerified(directory, manifest, sessions, "model", out var provider);
        try
        {
            var (maxBatch, outputTails) = CheckAgainstModel(manifest, session, directory);
            return new ModelPack(directory, manifest, session, provider, maxBatch, outputTails);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The pack's model.onnx, checked against the manifest's sha256, in a new session: what every pack with a model
    /// of its own (whole, backbone or head) does first. <paramref name="what"/> names the model in the error.
    /// </summary>
    internal static InferenceSession OpenVerified(string directory, ModelManifest manifest, SessionFactory sessions, string what, out ExecutionProvider provider)
    {
        var modelPath = Path.Combine(directory, ModelManifest.ModelFileName);
        if (!File.Exists(modelPath))
            throw new ModelPackException($"{directory}: {ModelManifest.ModelFileName} is missing; run `cascade models pull` first.");
        var actual = Sha256Of(modelPath);
        if (!actual.Equals(manifest.Model!.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelPackException($"{modelPath}: sha256 is {actual} but the manifest says {manifest.Model.Sha256}.");
        try
        {
            return sessions.Create(modelPath, out provider);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelPackException($"{modelPath}: ONNX Runtime cannot load the {what}: {e.Message}", e);
        }
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static (int MaxBatch, long[][] OutputTails) CheckAgainstModel(ModelManifest manifest, InferenceSession session, string source)
    {
        var inputSpec = manifest.Input!;
        if (!session.InputMetadata.TryGetValue(inputSpec.Name, out var input))
            throw new ModelPackException($"{source}: manifest input '{inputSpec.Name}' is not a model input; the model has {Describe(session.InputMetadata)}.");
        if (session.InputMetadata.Count != 1)
            throw new ModelPackException($"{source}: the model has {session.InputMetadata.Count} inputs ({Describe(session.InputMetadata)}); packs support one image input.");
        var expectedType = inputSpec.ElementType == TensorElement.Float16 ? TensorElementType.Float16 : TensorElementType.Float;
        if (input.ElementDataType != expectedType)
            throw new ModelPackException($"{source}: manifest input type is {inputSpec.ElementType} but the model's '{input.ElementDataType}'.");
        var dims = input.Dimensions;
        if (dims.Length != 4 || (dims[1] > 0 && dims[1] != 3) || (dims[2] > 0 && dims[2] != inputSpec.Height) || (dims[3] > 0 && dims[3] != inputSpec.Width))
            throw new ModelPackException($"{source}: manifest input is [N,3,{inputSpec.Height},{inputSpec.Width}] but the model's '{inputSpec.Name}' is [{string.Join(",", dims)}].");
        var maxBatch = dims[0] > 0 ? dims[0] : int.MaxValue;

        var tails = new List<long[]>();
        foreach (var tensor in OutputsOf(manifest))
        {
            var what = manifest.Form == PackForm.Backbone ? $"manifest tensor '{tensor.Name}' of size {tensor.Size}" : $"manifest output '{tensor.Name}' with {tensor.Size} classes";
            if (!session.OutputMetadata.TryGetValue(tensor.Name, out var output))
                throw new ModelPackException($"{source}: {what} is not a model output; the model has {Describe(session.OutputMetadata)}.");
            var outDims = output.Dimensions;
            var tail = outDims.Skip(1).Select(d => (long)d).ToArray();
            if (outDims.Length < 2 || tail.Any(d => d <= 0) || tail.Aggregate(1L, (a, d) => a * d) != tensor.Size)
                throw new ModelPackException($"{source}: {what} does not match the model's '{tensor.Name}', which is [{string.Join(",", outDims)}].");
            if (output.ElementDataType != expectedType)
                throw new ModelPackException($"{source}: model output '{tensor.Name}' is {output.ElementDataType}, expected {expectedType} like the input.");
            tails.Add(tail);
        }
        return (maxBatch, tails.ToArray());
    }

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> nodes) =>
        string.Join(", ", nodes.Select(n => $"'{n.Key}' {n.Value.ElementDataType} [{string.Join(",", n.Value.Dimensions)}]"));

    /// <summary>
    /// Runs <paramref name="batch"/> preprocessed images (<paramref name="input"/>, CHW each) and writes their raw output
    /// rows (<see cref="OutputSize"/> values per image, no activation) to <paramref name="output"/>.
    /// </summary>
    public void Run(ReadOnlySpan<float> input, int batch, Span<float> output)
    {
        var (inputCount, outputCount) = CheckSizes(input.Length, batch, output.Length);
        if (Input.ElementType == TensorElement.Float16)
            RunHalf(input[..inputCount], batch, output[..outputCount]);
        else
            RunSingle(input[..inputCount], batch, output[..outputCount]);
    }

    /// <summary>
    /// <see cref="Run(ReadOnlySpan{float}, int, Span{float})"/> on arrays: float32 models read and write them in place
    /// (no pooled copies of a 10 MB batch), which is what the batcher calls.
    /// </summary>
    public void Run(float[] input, int batch, float[] output)
    {
        if (Input.ElementType == TensorElement.Float16)
        {
            Run(input.AsSpan(), batch, output.AsSpan());
            return;
        }
        var (inputCount, outputCount) = CheckSizes(input.Length, batch, output.Length);
        Invoke(new Memory<float>(input, 0, inputCount), batch, new Memory<float>(output, 0, outputCount));
    }

    private (int InputCount, int OutputCount) CheckSizes(int inputLength, int batch, int outputLength)
    {
        if (batch < 1 || batch > MaxBatch) throw new ArgumentOutOfRangeException(nameof(batch), $"Batch {batch} is outside 1..{MaxBatch} for {DisplayName}.");
        var inputCount = batch * InputElements;
        var outputCount = batch * OutputSize;
        if (inputLength < inputCount) throw new ArgumentException($"Input holds {inputLength} floats; {inputCount} needed.");
        if (outputLength < outputCount) throw new ArgumentException($"Output holds {outputLength} floats; {outputCount} needed.");
        return (inputCount, outputCount);
    }

    private void RunSingle(ReadOnlySpan<float> input, int batch, Span<float> output)
    {
        var inputBuffer = ArrayPool<float>.Shared.Rent(input.Length);
        var outputBuffer = ArrayPool<float>.Shared.Rent(output.Length);
        try
        {
            input.CopyTo(inputBuffer);
            Invoke(new Memory<float>(inputBuffer, 0, input.Length), batch, new Memory<float>(outputBuffer, 0, output.Length));
            outputBuffer.AsSpan(0, output.Length).CopyTo(output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(inputBuffer);
            ArrayPool<float>.Shared.Return(outputBuffer);
        }
    }

    private void RunHalf(ReadOnlySpan<float> input, int batch, Span<float> output)
    {
        var inputBuffer = ArrayPool<Float16>.Shared.Rent(input.Length);
        var outputBuffer = ArrayPool<Float16>.Shared.Rent(output.Length);
        try
        {
            // ORT's Float16 and System.Half are both IEEE binary16.
            TensorPrimitives.ConvertToHalf(input, MemoryMarshal.Cast<Float16, Half>(inputBuffer.AsSpan(0, input.Length)));
            Invoke(new Memory<Float16>(inputBuffer, 0, input.Length), batch, new Memory<Float16>(outputBuffer, 0, output.Length));
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<Float16, Half>(outputBuffer.AsSpan(0, output.Length)), output);
        }
        finally
        {
            ArrayPool<Float16>.Shared.Return(inputBuffer);
            ArrayPool<Float16>.Shared.Return(outputBuffer);
        }
    }

    /// <summary>Runs the session; <paramref name="rows"/> gets <see cref="OutputSize"/> values per image.</summary>
    private void Invoke<T>(Memory<T> input, int batch, Memory<T> rows) where T : unmanaged
    {
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, [batch, 3, Layout.Height, Layout.Width]);
        if (Outputs.Count == 1)
        {
            using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, rows, [batch, .. _outputShapeTails[0]]);
            _session.Run(null, _inputNames, [inputValue], _outputNames, [outputValue]);
            return;
        }
        // ONNX Runtime writes each tensor for the whole batch to its own buffer; a row holds one image's tensors side by side.
        var buffers = Outputs.Select(o => ArrayPool<T>.Shared.Rent(batch * o.Size)).ToArray();
        var values = new OrtValue[Outputs.Count];
        try
        {
            for (var k = 0; k < values.Length; k++)
                values[k] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<T>(buffers[k], 0, batch * Outputs[k].Size), [batch, .. _outputShapeTails[k]]);
            _session.Run(null, _inputNames, [inputValue], _outputNames, values);
            var target = rows.Span;
            for (var b = 0; b < batch; b++)
                for (var k = 0; k < values.Length; k++)
                    buffers[k].AsSpan(b * Outputs[k].Size, Outputs[k].Size).CopyTo(target.Slice(b * OutputSize + _outputOffsets[k]));
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
            foreach (var buffer in buffers) ArrayPool<T>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _session.Dispose();
}
