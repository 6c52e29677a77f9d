using System.Numerics.Tensors;
using Cascade.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Cascade.Inference.Packs;

/// <summary>
/// What turns one output row of a <see cref="ModelPack"/> into a stage's probabilities (the manifest's activation applied):
/// for a whole pack, its own output; for a head pack, its small ONNX graph on the backbone tensors it names, or, without
/// a model, one backbone tensor as it is. Bound to one backbone pack (the row layout); <see cref="Score"/> is thread-safe.
/// </summary>
public sealed class ModelHead : IDisposable
{
    private readonly InferenceSession? _session;
    private readonly (int Offset, int Size)[] _inputs;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly long[] _outputShapeTail;

    private ModelHead(ModelManifest manifest, ModelPack backbone, InferenceSession? session, (int, int)[] inputs, string[] inputNames, long[] outputShapeTail)
    {
        Manifest = manifest;
        Backbone = backbone;
        _session = session;
        _inputs = inputs;
        _inputNames = inputNames;
        _outputNames = [manifest.Output!.Name];
        _outputShapeTail = outputShapeTail;
    }

    /// <summary>The decisions, groups and output of the stage (the whole pack's manifest, or the head pack's).</summary>
    public ModelManifest Manifest { get; }
    public ModelPack Backbone { get; }
    public int Classes => Manifest.Output!.Classes;
    public string DisplayName => $"{Manifest.Name}@{Manifest.Version}";

    /// <summary>A whole pack's own output: the row is the scores.</summary>
    public static ModelHead Of(ModelPack pack)
    {
        if (pack.Manifest.Form != PackForm.Whole) throw new ModelPackException($"{pack.Directory}: a backbone pack decides nothing; give a head pack that names it.");
        return new ModelHead(pack.Manifest, pack, null, [(0, pack.OutputSize)], [], []);
    }

    /// <summary>
    /// The head pack in <paramref name="directory"/> on <paramref name="backbone"/>: the backbone's sha256 and tensors are
    /// checked against what the head names, and the head's graph against its manifest.
    /// </summary>
    public static ModelHead Load(string directory, ModelManifest manifest, ModelPack backbone, SessionFactory sessions)
    {
        var reference = manifest.Backbone ?? throw new ModelPackException($"{directory}: not a head pack (no backbone).");
        if (!reference.Sha256.Equals(backbone.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelPackException($"{directory}: the head names backbone sha256 {reference.Sha256}, but pack {backbone.Directory} has model sha256 {backbone.Sha256}.");
        var inputs = new (int Offset, int Size)[reference.Tensors.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var offset = backbone.OffsetOf(reference.Tensors[i]);
            if (offset < 0)
                throw new ModelPackException($"{directory}: the head reads tensor '{reference.Tensors[i]}', which backbone {backbone.DisplayName} does not output; it has {string.Join(", ", backbone.Outputs.Select(o => $"'{o.Name}'"))}.");
            inputs[i] = (offset, backbone.Outputs.Single(o => o.Name == reference.Tensors[i]).Size);
        }
        if (manifest.Model is null)
        {
            if (inputs[0].Size != manifest.Output!.Classes)
                throw new ModelPackException($"{directory}: output.classes is {manifest.Output.Classes} but backbone tensor '{reference.Tensors[0]}' has {inputs[0].Size} values.");
            return new ModelHead(manifest, backbone, null, inputs, [], []);
        }

        var session = ModelPack.OpenVerified(directory, manifest, sessions, "head", out _);
        try
        {
            var tail = CheckAgainstGraph(directory, manifest, session, inputs);
            return new ModelHead(manifest, backbone, session, inputs, reference.Tensors.ToArray(), tail);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static long[] CheckAgainstGraph(string source, ModelManifest manifest, InferenceSession session, (int Offset, int Size)[] inputs)
    {
        var names = manifest.Backbone!.Tensors;
        if (session.InputMetadata.Count != names.Count || names.Any(n => !session.InputMetadata.ContainsKey(n)))
            throw new ModelPackException($"{source}: the head graph's inputs are {string.Join(", ", session.InputMetadata.Keys.Select(k => $"'{k}'"))}, but backbone.tensors names {string.Join(", ", names.Select(n => $"'{n}'"))}.");
        for (var i = 0; i < names.Count; i++)
        {
            var input = session.InputMetadata[names[i]];
            var dims = input.Dimensions;
            if (input.ElementDataType != TensorElementType.Float || dims.Length != 2 || (dims[1] > 0 && dims[1] != inputs[i].Size))
                throw new ModelPackException($"{source}: head input '{names[i]}' is {input.ElementDataType} [{string.Join(",", dims)}], but the backbone gives float [N,{inputs[i].Size}].");
        }
        var output = manifest.Output!;
        if (!session.OutputMetadata.TryGetValue(output.Name, out var meta))
            throw new ModelPackException($"{source}: manifest output '{output.Name}' is not a head output; the head has {string.Join(", ", session.OutputMetadata.Keys.Select(k => $"'{k}'"))}.");
        var tail = meta.Dimensions.Skip(1).Select(d => (long)d).ToArray();
        if (meta.ElementDataType != TensorElementType.Float || tail.Length == 0 || tail.Any(d => d <= 0) || tail.Aggregate(1L, (a, d) => a * d) != output.Classes)
            throw new ModelPackException($"{source}: manifest output has {output.Classes} classes but the head's '{output.Name}' is {meta.ElementDataType} [{string.Join(",", meta.Dimensions)}].");
        return tail;
    }

    /// <summary>Writes the probabilities of one image (<see cref="Classes"/> values) from its backbone output row.</summary>
    public void Score(float[] row, float[] probabilities)
    {
        if (row.Length < Backbone.OutputSize) throw new ArgumentException($"The row holds {row.Length} values; backbone {Backbone.DisplayName} gives {Backbone.OutputSize}.");
        if (probabilities.Length < Classes) throw new ArgumentException($"Output holds {probabilities.Length} floats; {Classes} needed.");
        if (_session is null)
            row.AsSpan(_inputs[0].Offset, Classes).CopyTo(probabilities);
        else
            RunGraph(row, probabilities);
        var scores = probabilities.AsSpan(0, Classes);
        if (Manifest.Output!.Kind == OutputKind.Probabilities) return;
        if (Manifest.Output.Activation == OutputActivation.Softmax) TensorPrimitives.SoftMax(scores, scores);
        else TensorPrimitives.Sigmoid(scores, scores);
    }

    private void RunGraph(float[] row, float[] probabilities)
    {
        var values = new OrtValue[_inputs.Length];
        try
        {
            for (var i = 0; i < values.Length; i++)
                values[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(row, _inputs[i].Offset, _inputs[i].Size), [1, _inputs[i].Size]);
            using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(probabilities, 0, Classes), [1, .. _outputShapeTail]);
            _session!.Run(null, _inputNames, values, _outputNames, [output]);
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
        }
    }

    public void Dispose() => _session?.Dispose();
}
